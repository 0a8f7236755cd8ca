import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may never reach in production: anything that is not a
 * routable public host, so a project admin cannot make the server call into
 * its own network (cloud metadata at 169.254.169.254, the database, admin
 * ports on loopback). IPv4-mapped, NAT64 and 6to4 IPv6 forms are refused
 * whole: they can embed any IPv4 address, private ones included, and no
 * legitimate receiver needs them.
 */
// Two lists: one BlockList checks IPv4 addresses against IPv6 rules too (as IPv4-mapped), so ::ffff:0:0/96 would match every IPv4 address.
const forbiddenV4 = new BlockList();
const forbiddenV6 = new BlockList();
const ipv4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const ipv6: Array<[string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128],
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];
for (const [network, prefix] of ipv4) forbiddenV4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of ipv6) forbiddenV6.addSubnet(network, prefix, 'ipv6');

/** True for an address in a private, loopback, link-local, CGNAT, multicast, reserved or unspecified range; anything that is not an IP address counts as forbidden. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? forbiddenV4.check(address, 'ipv4') : forbiddenV6.check(address, 'ipv6');
}

/** Loopback only: what development and test mode may target besides public hosts. */
export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || /^127\./.test(address) || /^::ffff:127\./i.test(address);
}
