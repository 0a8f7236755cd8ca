import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from '../../domain/webhooks/address-ranges.ts';
import { resolveWebhookTarget } from './webhook-target.ts';

const resolvesTo = (...addresses: string[]) => async () => addresses;

describe('webhook target guard', () => {
  it.each(['10.0.0.1', '127.0.0.1', '::1', '169.254.169.254', 'fc00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '100.64.0.1', '0.0.0.0', '::', '192.168.1.1', '172.16.5.4', '224.0.0.1', 'ff02::1', 'fe80::1', '64:ff9b::a00:1',
    // Teredo, 6to4 and IPv4-compatible forms can carry a private IPv4 address; documentation, benchmarking and broadcast are never receivers.
    '2001:0:4136:e378:8000:63bf:f5ff:fffe', '2002:a00:1::1', '::10.0.0.1', '::a00:1', '2001:db8::1', '192.0.2.10', '198.51.100.7', '203.0.113.9', '198.18.0.1', '255.255.255.255', '2001:2::1', '100::1', '5f00::1', 'fec0::1', '3fff::1',
    // Not IP addresses at all.
    'hooks.example.com', '1.2.3', ''])(
    'refuses a host resolving to %s in production',
    async (address) => {
      expect(isForbiddenAddress(address)).toBe(true);
      await expect(resolveWebhookTarget('https://hooks.example.com/x', 'production', { resolve: resolvesTo(address) })).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'body.url' }] });
    },
  );

  it.each(['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '100.128.0.1', '172.32.0.1', '2a00:1450:4001:82b::200e'])('accepts the public address %s', async (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
    await expect(resolveWebhookTarget('https://hooks.example.com/x', 'production', { resolve: resolvesTo(address) })).resolves.toMatchObject({ address });
  });

  it('refuses when any one of the addresses is private', async () => {
    await expect(resolveWebhookTarget('https://hooks.example.com/', 'production', { resolve: resolvesTo('1.1.1.1', '10.1.2.3') })).rejects.toThrow(/10\.1\.2\.3/);
  });

  it('refuses IP literals in the URL itself, through the real resolver', async () => {
    for (const url of ['https://127.0.0.1/', 'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://169.254.169.254/latest/meta-data', 'https://2130706433/']) {
      await expect(resolveWebhookTarget(url, 'production')).rejects.toMatchObject({ code: 'validation_failed' });
    }
  });

  it('requires https in production, and refuses credentials and other schemes everywhere', async () => {
    await expect(resolveWebhookTarget('http://hooks.example.com/', 'production', { resolve: resolvesTo('1.1.1.1') })).rejects.toThrow(/https/);
    await expect(resolveWebhookTarget('https://user:pw@hooks.example.com/', 'test', { resolve: resolvesTo('1.1.1.1') })).rejects.toThrow(/credentials/);
    await expect(resolveWebhookTarget('file:///etc/passwd', 'test')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(resolveWebhookTarget('not a url', 'test')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('allows loopback http in development and test, but not other private ranges', async () => {
    await expect(resolveWebhookTarget('http://127.0.0.1:8080/hook', 'test')).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(resolveWebhookTarget('http://[::1]:8080/hook', 'development')).resolves.toMatchObject({ address: '::1' });
    await expect(resolveWebhookTarget('http://10.0.0.1/hook', 'development')).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
