import { generateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

describe.each(databaseKinds)('what the report form needs (GET /api/v1/projects/:slug/intake) on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  const info = async (slug = 'payqi') => h.app.inject({ url: `/api/v1/projects/${slug}/intake` });

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
  });
  afterAll(() => h?.close());

  it('answers anyone with the attachment limits, and no key before one is installed', async () => {
    const response = await info();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ attachments: { maxFileBytes: expect.any(Number), maxReportBytes: expect.any(Number), maxCount: expect.any(Number) }, encryption: null });
    expect((await info('no-such-project')).statusCode).toBe(404);
  });

  it('says the server can decrypt when it holds the private key, and cannot once the team keeps it offline', async () => {
    const generated = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/intake-key', headers: h.ownerAuth })).json();
    expect((await info()).json().encryption).toEqual({ publicKey: generated.publicKey, fingerprint: generated.fingerprint, serverCanDecrypt: true });
    const offline = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'security@payqi.example' }], format: 'armored' });
    expect((await h.app.inject({ method: 'PUT', url: '/api/v1/projects/payqi/intake-key', headers: h.ownerAuth, payload: { publicKey: offline.publicKey } })).statusCode).toBe(200);
    const answer = await info();
    expect(answer.json().encryption).toMatchObject({ serverCanDecrypt: false, publicKey: expect.stringContaining('BEGIN PGP PUBLIC KEY BLOCK') });
    expect(answer.body).not.toContain('PRIVATE KEY');
  });
});
