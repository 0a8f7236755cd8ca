import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** IANA's global unicast space: every other IPv6 prefix is reserved, unassigned or special-purpose. */
const globalUnicastV6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Addresses a webhook may never reach in production: anything that is not a
 * routable public host, so a project admin cannot make the server call into
 * its own network (cloud metadata at 169.254.169.254, the database, admin
 * ports on loopback). Deny by default: an address passes only when ipaddr.js
 * (the range table behind Express's proxy-addr, kept in step with IANA's
 * special-purpose registries) classifies it as plain `unicast`. That refuses
 * private, loopback, link-local, CGNAT, multicast, broadcast, documentation,
 * benchmarking and reserved ranges, and the IPv6 forms that can carry any
 * IPv4 address, private ones included (IPv4-mapped, NAT64, 6to4, Teredo);
 * IPv6 must also lie in 2000::/3, which rules out IPv4-compatible ::/96 and
 * the unassigned space, neither of which ipaddr.js names.
 */
export function isForbiddenAddress(address: string): boolean {
  // node's strict check first: ipaddr.js also accepts inet_aton shorthands ('1.2.3', '2130706433'), which are not what we connect to.
  if (isIP(address) === 0) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.range() !== 'unicast') return true;
  return parsed.kind() === 'ipv6' && !(parsed as ipaddr.IPv6).match(globalUnicastV6);
}

/** Loopback only: what development and test mode may target besides public hosts. */
export function isLoopbackAddress(address: string): boolean {
  if (isIP(address) === 0) return false;
  const parsed = ipaddr.process(address); // IPv4-mapped ::ffff:127.0.0.1 counts as the IPv4 address it carries
  return parsed.range() === 'loopback';
}
