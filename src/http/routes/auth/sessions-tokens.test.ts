import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_PASSWORD, accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

const MEMBER = 'member@example.org';
const MEMBER_PASSWORD = 'a long passphrase for the member';

describe.each(databaseKinds)('sessions, refresh tokens and API tokens on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let memberId: string;

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    const policy = await examplePolicyExpiringIn('payqi');
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: policy.text } });
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email: MEMBER, role: 'member', project: { slug: 'payqi', role: 'triager' } } });
    const accepted = await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(MEMBER, '/invitation#token='), password: MEMBER_PASSWORD } });
    memberId = accepted.json().id;
  });
  afterAll(() => h?.close());

  const apiLogin = async () => (await h.login(MEMBER, MEMBER_PASSWORD, 'api')).json();
  const me = (token: string) => h.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  const refresh = (refreshToken: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });

  it('issues an EdDSA access token with a key id, and a refresh token', async () => {
    const login = await apiLogin();
    expect(login).toMatchObject({ kind: 'api', tokenType: 'Bearer', expiresIn: 900 });
    const header = JSON.parse(Buffer.from(login.accessToken.split('.')[0], 'base64url').toString());
    expect(header).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    expect((await me(login.accessToken)).json()).toMatchObject({ email: MEMBER, via: 'jwt', mfaRequired: false });
  });

  it('refuses an access token after it expires', async () => {
    const login = await apiLogin();
    h.advance(901_000);
    expect((await me(login.accessToken)).statusCode).toBe(401);
  });

  it('rotates refresh tokens, and revokes the whole family when an old one is reused', async () => {
    const login = await apiLogin();
    const first = await refresh(login.refreshToken);
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    expect(rotated.refreshToken).not.toBe(login.refreshToken);
    expect((await me(rotated.accessToken)).statusCode).toBe(200);

    const reuse = await refresh(login.refreshToken);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().error.code).toBe('session_expired');
    // The thief's reuse ended the family: the legitimate client's newer tokens are dead too, at once.
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    expect((await me(rotated.accessToken)).statusCode).toBe(401);
  });

  it('ends a session at logout, immediately', async () => {
    const login = await apiLogin();
    const logout = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${login.accessToken}` } });
    expect(logout.statusCode).toBe(204);
    expect((await me(login.accessToken)).statusCode).toBe(401);
    expect((await refresh(login.refreshToken)).statusCode).toBe(401);
  });

  it('lists own sessions and logs out everywhere', async () => {
    const browser = await h.browserLogin(MEMBER, MEMBER_PASSWORD);
    const api = await apiLogin();
    const list = await h.app.inject({ url: '/api/v1/account/sessions', headers: browser.headers });
    const sessions = list.json().sessions;
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(sessions.map((s: { kind: string }) => s.kind)).toEqual(expect.arrayContaining(['browser', 'api']));

    const everywhere = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout-everywhere', headers: browser.headers });
    expect(everywhere.json().endedSessions).toBeGreaterThanOrEqual(2);
    expect((await h.app.inject({ url: '/api/v1/me', headers: browser.headers })).statusCode).toBe(401);
    expect((await me(api.accessToken)).statusCode).toBe(401);
  });

  it('ends sessions after the idle timeout, and never beyond the absolute one', async () => {
    const session = await h.browserLogin(MEMBER, MEMBER_PASSWORD);
    h.advance(29 * 60_000);
    expect((await h.app.inject({ url: '/api/v1/me', headers: session.headers })).statusCode).toBe(200);
    h.advance(29 * 60_000);
    expect((await h.app.inject({ url: '/api/v1/me', headers: session.headers })).statusCode).toBe(200);
    h.advance(31 * 60_000);
    const idle = await h.app.inject({ url: '/api/v1/me', headers: session.headers });
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error.code).toBe('session_expired');

    const active = await h.browserLogin(MEMBER, MEMBER_PASSWORD);
    for (let hour = 0; hour < 12; hour++) {
      h.advance(20 * 60_000);
      await h.app.inject({ url: '/api/v1/me', headers: active.headers });
      h.advance(20 * 60_000);
      await h.app.inject({ url: '/api/v1/me', headers: active.headers });
      h.advance(20 * 60_000);
    }
    expect((await h.app.inject({ url: '/api/v1/me', headers: active.headers })).statusCode).toBe(401);
  });

  it('lets an admin end a user’s sessions and disable them, with immediate effect', async () => {
    const api = await apiLogin();
    const ended = await h.app.inject({ method: 'POST', url: `/api/v1/users/${memberId}/sessions/end`, headers: h.ownerAuth });
    expect(ended.json().endedSessions).toBeGreaterThanOrEqual(1);
    expect((await me(api.accessToken)).statusCode).toBe(401);

    const again = await apiLogin();
    const disabled = await h.app.inject({ method: 'PATCH', url: `/api/v1/users/${memberId}`, headers: h.ownerAuth, payload: { disabled: true } });
    expect(disabled.json()).toMatchObject({ disabled: true });
    expect((await me(again.accessToken)).statusCode).toBe(401);
    expect((await h.login(MEMBER, MEMBER_PASSWORD)).statusCode).toBe(401);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/users/${memberId}`, headers: h.ownerAuth, payload: { disabled: false } });
    expect((await h.login(MEMBER, MEMBER_PASSWORD)).statusCode).toBe(200);
  });

  it('keeps at least one owner', async () => {
    const users = (await h.app.inject({ url: '/api/v1/users', headers: h.ownerAuth })).json().users;
    const owner = users.find((u: { role: string }) => u.role === 'owner');
    const demote = await h.app.inject({ method: 'PATCH', url: `/api/v1/users/${owner.id}`, headers: h.ownerAuth, payload: { role: 'admin' } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('last_owner');
  });

  it('limits API tokens to their scopes and project, shows them once, and revokes them', async () => {
    const session = await h.browserLogin(MEMBER, MEMBER_PASSWORD);
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/account/tokens', headers: session.headers, payload: { name: 'ci', scopes: ['projects:read'], projectSlug: 'payqi' } });
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    expect(token).toMatch(/^emb_pat_/);
    const auth = { authorization: `Bearer ${token}` };

    expect((await h.app.inject({ url: '/api/v1/projects/payqi/members', headers: auth })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/v1/projects/payqi/policy/revisions', headers: auth })).statusCode).toBe(200);
    const write = await h.app.inject({ method: 'PUT', url: '/api/v1/projects/payqi/policy', headers: auth, payload: { policy: 'x' } });
    expect(write.statusCode).toBe(403);
    // Tokens never manage accounts, whatever their scopes.
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/account/tokens', headers: auth, payload: { name: 'more', scopes: ['projects:read'] } })).statusCode).toBe(403);

    const listed = (await h.app.inject({ url: '/api/v1/account/tokens', headers: session.headers })).json().tokens;
    const entry = listed.find((t: { name: string }) => t.name === 'ci');
    expect(entry).toMatchObject({ scopes: ['projects:read'], lastUsedAt: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(token);

    const revoked = await h.app.inject({ method: 'DELETE', url: `/api/v1/account/tokens/${entry.id}`, headers: session.headers });
    expect(revoked.statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/v1/projects/payqi/members', headers: auth })).statusCode).toBe(401);
  });

  it('rejects an expiry in the past and unknown scopes with field paths', async () => {
    const session = await h.browserLogin(MEMBER, MEMBER_PASSWORD);
    const unknownScope = await h.app.inject({ method: 'POST', url: '/api/v1/account/tokens', headers: session.headers, payload: { name: 'x', scopes: ['root'] } });
    expect(unknownScope.statusCode).toBe(400);
    expect(unknownScope.json().error.details[0].path).toBe('body.scopes[0]');
    const past = await h.app.inject({ method: 'POST', url: '/api/v1/account/tokens', headers: session.headers, payload: { name: 'x', scopes: ['projects:read'], expiresAt: '2020-01-01T00:00:00Z' } });
    expect(past.json().error.details[0].path).toBe('body.expiresAt');
  });

  it('never lets the owner password appear in the audit log', async () => {
    const audit = await h.app.inject({ url: '/api/v1/audit?limit=500', headers: h.ownerAuth });
    expect(audit.body).not.toContain(OWNER_PASSWORD);
    expect(audit.body).not.toContain(MEMBER_PASSWORD);
  });
});
