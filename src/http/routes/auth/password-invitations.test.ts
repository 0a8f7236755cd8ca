import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_EMAIL, OWNER_PASSWORD, accountsHarness, totpCode } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

const ADMIN = 'admin@example.org';
const ADMIN_PASSWORD = 'admin passphrase that is long';

describe.each(databaseKinds)('passwords, resets and invitations on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let adminTotpSecret: string;

  beforeAll(async () => {
    h = await accountsHarness(kind);
  });
  afterAll(() => h?.close());

  const invite = (payload: object, headers: Record<string, string> = h.ownerAuth) => h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers, payload });
  const accept = (token: string, password: string) => h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password } });

  it('mails a one-time invitation link and never returns the token', async () => {
    const response = await invite({ email: ADMIN, role: 'admin' });
    expect(response.statusCode).toBe(201);
    expect(JSON.stringify(response.json())).not.toMatch(/emb_invite/);
    const pending = await h.app.inject({ url: '/api/v1/invitations', headers: h.ownerAuth });
    expect(pending.json().invitations.map((i: { email: string }) => i.email)).toContain(ADMIN);
  });

  it('refuses a common password at acceptance, then accepts a good one once', async () => {
    const token = await h.linkToken(ADMIN, '/invitation#token=');
    const weak = await accept(token, 'password1234');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'weak_password', details: [{ path: 'body.password' }] });
    const short = await accept(token, 'short');
    expect(short.json().error.code).toBe('weak_password');

    expect((await accept(token, ADMIN_PASSWORD)).statusCode).toBe(201);
    const again = await accept(token, ADMIN_PASSWORD);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('link_invalid');
  });

  it('makes an invited admin enrol MFA before doing anything else', async () => {
    const session = await h.browserLogin(ADMIN, ADMIN_PASSWORD);
    expect((await h.app.inject({ url: '/api/v1/users', headers: session.headers })).json().error.code).toBe('mfa_enrolment_required');
    adminTotpSecret = (await h.enrolTotp(session.headers, ADMIN_PASSWORD)).secret;
    expect((await h.app.inject({ url: '/api/v1/users', headers: session.headers })).statusCode).toBe(200);
  });

  it('lets only an owner invite an owner, and refuses a duplicate email', async () => {
    const adminToken = await h.app.inject({ method: 'POST', url: '/api/v1/account/tokens', headers: (await h.browserLogin(ADMIN, ADMIN_PASSWORD, adminTotpSecret)).headers, payload: { name: 'admin', scopes: ['users:write', 'users:read'] } });
    const adminAuth = { authorization: `Bearer ${adminToken.json().token}` };
    expect((await invite({ email: 'boss@example.org', role: 'owner' }, adminAuth)).json().error.code).toBe('forbidden');
    expect((await invite({ email: 'helper@example.org', role: 'member' }, adminAuth)).statusCode).toBe(201);
    expect((await invite({ email: ADMIN, role: 'member' })).json().error).toMatchObject({ code: 'conflict', details: [{ path: 'body.email' }] });
  });

  it('expires invitations', async () => {
    await invite({ email: 'late@example.org', role: 'member' });
    const token = await h.linkToken('late@example.org', '/invitation#token=');
    h.advance(7 * 24 * 3_600_000 + 1000);
    expect((await accept(token, 'a perfectly fine passphrase')).json().error.code).toBe('link_invalid');
  });

  it('changes a password only with the current one, refuses weak ones, and ends other sessions', async () => {
    await acceptHelper();
    const keep = await h.browserLogin('helper@example.org', HELPER_PASSWORD);
    const other = await h.browserLogin('helper@example.org', HELPER_PASSWORD);
    const wrongCurrent = await h.app.inject({ method: 'POST', url: '/api/v1/account/password', headers: keep.headers, payload: { currentPassword: 'guess guess guess', newPassword: 'a brand new passphrase' } });
    expect(wrongCurrent.json().error.code).toBe('reauthentication_failed');
    const weak = await h.app.inject({ method: 'POST', url: '/api/v1/account/password', headers: keep.headers, payload: { currentPassword: HELPER_PASSWORD, newPassword: 'helper123helper' } });
    expect(weak.json().error).toMatchObject({ code: 'weak_password', details: [{ path: 'body.newPassword' }] });

    const changed = await h.app.inject({ method: 'POST', url: '/api/v1/account/password', headers: keep.headers, payload: { currentPassword: HELPER_PASSWORD, newPassword: 'a brand new passphrase' } });
    expect(changed.json().endedSessions).toBeGreaterThanOrEqual(1);
    expect((await h.app.inject({ url: '/api/v1/me', headers: keep.headers })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/v1/me', headers: other.headers })).statusCode).toBe(401);
    expect((await h.login('helper@example.org', HELPER_PASSWORD)).statusCode).toBe(401);
    expect((await h.login('helper@example.org', 'a brand new passphrase')).statusCode).toBe(200);
  });

  it('answers a reset request the same way for unknown addresses and mails nothing to them', async () => {
    const before = (await h.emails()).length;
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: 'ghost@example.org' } });
    const known = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: OWNER_EMAIL } });
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    const mails = (await h.emails()).slice(before);
    expect(mails.map((m) => m.to)).toEqual([OWNER_EMAIL]);
  });

  it('does not let a reset link bypass MFA, and uses it once', async () => {
    const session = await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD);
    const { secret } = await h.enrolTotp(session.headers, OWNER_PASSWORD);
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: OWNER_EMAIL } });
    const token = await h.linkToken(OWNER_EMAIL, '/reset-password#token=');
    const newPassword = 'the owner has a new passphrase';

    const withoutCode = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword } });
    expect(withoutCode.json().error.code).toBe('mfa_invalid');
    h.advance(30_000);
    const withCode = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword, code: totpCode(secret, h.now()) } });
    expect(withCode.statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/v1/me', headers: session.headers })).statusCode).toBe(401);
    const reuse = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword: 'yet another passphrase here' } });
    expect(reuse.json().error.code).toBe('link_invalid');
    expect((await h.login(OWNER_EMAIL, newPassword)).json().kind).toBe('mfa_required');
  });

  it('expires reset links after 30 minutes', async () => {
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: 'helper@example.org' } });
    const token = await h.linkToken('helper@example.org', '/reset-password#token=');
    h.advance(31 * 60_000);
    const late = await h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword: 'too late for this passphrase' } });
    expect(late.json().error.code).toBe('link_invalid');
  });

  const HELPER_PASSWORD = 'helper has a fine passphrase';
  /** A fresh invitation: the one from the earlier test has expired with the clock. */
  async function acceptHelper(): Promise<void> {
    await invite({ email: 'helper@example.org', role: 'member' });
    const response = await accept(await h.linkToken('helper@example.org', '/invitation#token='), HELPER_PASSWORD);
    if (response.statusCode !== 201) throw new Error(response.body);
  }
});
