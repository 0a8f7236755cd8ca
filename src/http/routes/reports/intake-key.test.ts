import { generateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';
import { encryptToPublicKey } from '../../../crypto/openpgp-encrypt.ts';

const CANARY = 'CANARY-9c1d-sql-injection-in-refund-endpoint';
const report = { title: 'Refund endpoint', steps_to_reproduce: '1. POST /refund', impact: 'Money' };

describe.each(databaseKinds)('OpenPGP intake keys on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  const keyUrl = (slug = 'payqi') => `/api/v1/projects/${slug}/intake-key`;
  const submit = (payload: object) => h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { ...report, ...payload } });
  const teamRead = async (id: string) => (await h.app.inject({ url: `/api/v1/reports/${id}`, headers: h.ownerAuth })).json();
  const publicKey = async () => (await h.app.inject({ url: '/p/payqi/pgp-key.txt' })).body;
  const auditActions = async () => (await h.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'project.intake_key.%').orderBy('seq').execute()).map((a) => a.action);

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    for (const name of ['payqi', 'leher']) await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn(name)).text } });
  });
  afterAll(() => h?.close());

  it('has no key to publish until one is made', async () => {
    const missing = await h.app.inject({ url: '/p/payqi/pgp-key.txt' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    expect((await h.app.inject({ url: '/p/payqi/security.txt' })).body).not.toContain('Encryption:');
  });

  it('generates a key pair, publishes the public key and points security.txt at it', async () => {
    const generated = await h.app.inject({ method: 'POST', url: keyUrl(), headers: h.ownerAuth });
    expect(generated.statusCode, generated.body).toBe(201);
    expect(generated.json()).toMatchObject({ fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/), hasPrivateKey: true, publicKeyUrl: 'https://embargo.test/p/payqi/pgp-key.txt' });
    expect(generated.body).not.toContain('PRIVATE KEY');
    const served = await h.app.inject({ url: '/p/payqi/pgp-key.txt' });
    expect(served.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(served.body).toBe(generated.json().publicKey);
    expect((await h.app.inject({ url: '/p/payqi/security.txt' })).body).toContain('Encryption: https://embargo.test/p/payqi/pgp-key.txt\n');
    const stored = await h.database.db.selectFrom('project_key').selectAll().executeTakeFirstOrThrow();
    // An armored key would start with its header; base64 ciphertext can contain any letters, but never '-----BEGIN'.
    expect(stored.private_key_sealed).not.toContain('-----BEGIN PGP');
  });

  it('decrypts armoured fields of an API submission before checking the policy', async () => {
    const description = await encryptToPublicKey(await publicKey(), `Full write-up: ${CANARY}`, new Date());
    const impact = await encryptToPublicKey(await publicKey(), 'Refunds to any account', new Date());
    const response = await submit({ description: `Summary below.\n\n${description.trim()}\n`, impact });
    expect(response.statusCode, response.body).toBe(201);
    const stored = await teamRead(response.json().id);
    expect(stored.content.description).toBe(`Summary below.\n\nFull write-up: ${CANARY}\n`);
    expect(stored.content.impact).toBe('Refunds to any account');
    expect(stored.encryptedToTeam).toBe(false);
  });

  it('checks policy-required fields against the decrypted text', async () => {
    const empty = await encryptToPublicKey(await publicKey(), '   ', new Date());
    const response = await submit({ description: 'd', impact: empty });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: 'body.impact', message: 'is required by this project' }]);
    const long = await encryptToPublicKey(await publicKey(), 'x'.repeat(50_001), new Date());
    expect((await submit({ description: long })).json().error.details[0].path).toBe('body.description');
  });

  it('decrypts an armoured reporter message in the thread', async () => {
    const { followUpToken } = (await submit({ description: 'plain' })).json();
    const body = await encryptToPublicKey(await publicKey(), 'A second proof of concept', new Date());
    const posted = await h.app.inject({ method: 'POST', url: '/api/v1/portal/messages', headers: { authorization: `Bearer ${followUpToken}` }, payload: { body } });
    expect(posted.statusCode).toBe(201);
    const thread = (await h.app.inject({ url: '/api/v1/portal/report', headers: { authorization: `Bearer ${followUpToken}` } })).json().messages;
    expect(thread.map((m: { body: string }) => m.body)).toEqual(['A second proof of concept']);
  });

  it('installs the team key with a passphrase-protected private key, refusing a wrong passphrase', async () => {
    const team = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Payqi team' }], passphrase: 'team passphrase 1', format: 'armored' });
    const upload = (payload: object) => h.app.inject({ method: 'PUT', url: keyUrl(), headers: h.ownerAuth, payload });
    const wrong = await upload({ publicKey: team.publicKey, privateKey: team.privateKey, passphrase: 'nope' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual([{ path: 'body.passphrase', message: 'is not unlocked by this passphrase' }]);
    expect((await upload({ publicKey: team.privateKey })).json().error.details[0].path).toBe('body.publicKey');

    const installed = await upload({ publicKey: team.publicKey, privateKey: team.privateKey, passphrase: 'team passphrase 1' });
    expect(installed.statusCode, installed.body).toBe(200);
    expect(installed.json().hasPrivateKey).toBe(true);
    const description = await encryptToPublicKey(team.publicKey, CANARY, new Date());
    expect((await teamRead((await submit({ description })).json().id)).content.description).toBe(CANARY);
  });

  it('keeps encrypted reports as received, flagged encrypted-to-team, once the private key is taken offline', async () => {
    const removed = await h.app.inject({ method: 'DELETE', url: `${keyUrl()}/private`, headers: h.ownerAuth });
    expect(removed.json()).toMatchObject({ hasPrivateKey: false });
    expect((await h.database.db.selectFrom('project_key').select('private_key_sealed').executeTakeFirstOrThrow()).private_key_sealed).toBeNull();
    const description = await encryptToPublicKey(await publicKey(), CANARY, new Date());
    const { id } = (await submit({ description })).json();
    const stored = await teamRead(id);
    expect(stored.content.description).toBe(description);
    expect(stored.encryptedToTeam).toBe(true);
    const listed = (await h.app.inject({ url: '/api/v1/projects/payqi/reports', headers: h.ownerAuth })).json().reports.find((r: { id: string }) => r.id === id);
    expect(listed.encryptedToTeam).toBe(true);
    expect((await h.app.inject({ method: 'DELETE', url: `${keyUrl('leher')}/private`, headers: h.ownerAuth })).statusCode).toBe(404);
  });

  it('audits generation, upload and removal', async () => {
    expect(await auditActions()).toEqual(['project.intake_key.generated', 'project.intake_key.uploaded', 'project.intake_key.private_removed']);
  });

  it('refuses a reporter public key mail cannot be encrypted to', async () => {
    const signOnly = await generateKey({ userIDs: [{ name: 'Reporter' }], subkeys: [], format: 'armored' });
    const response = await submit({ description: 'd', reporter_public_key: signOnly.publicKey });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.reporter_public_key', message: 'has no valid encryption subkey (it can only sign)' }] });
    const usable = await generateKey({ userIDs: [{ name: 'Reporter' }], format: 'armored' });
    expect((await submit({ description: 'd', reporter_public_key: usable.publicKey })).statusCode).toBe(201);
  });
});
