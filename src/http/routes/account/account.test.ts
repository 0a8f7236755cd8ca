import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_EMAIL, OWNER_PASSWORD, accountsHarness } from '../../../../test/support/accounts.ts';
import { hashPassword } from '../../../crypto/password-hash.ts';
import { findUserByEmail } from '../../../storage/repositories/user.repository.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

const MEMBER = 'member@example.org';
const MEMBER_PASSWORD = 'member passphrase is long';

describe('account settings and organisation rules', () => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let ownerHeaders: Record<string, string>;

  beforeAll(async () => {
    h = await accountsHarness('pglite', { start: new Date() });
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email: MEMBER, role: 'member' } });
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(MEMBER, '/invitation#token='), password: MEMBER_PASSWORD } });
  });
  afterAll(() => h?.close());

  it('rehashes a password made with older argon2 parameters at the next successful login', async () => {
    const user = await findUserByEmail(h.database.db, MEMBER);
    await h.database.db.updateTable('app_user').set({ password_hash: await hashPassword(MEMBER_PASSWORD, { memoryCost: 8192, timeCost: 1, parallelism: 1 }) }).where('id', '=', user!.id).execute();
    expect((await h.login(MEMBER, MEMBER_PASSWORD)).statusCode).toBe(200);
    const after = await findUserByEmail(h.database.db, MEMBER);
    expect(after!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await h.login(MEMBER, MEMBER_PASSWORD)).statusCode).toBe(200);
  });

  it('lets the owner require MFA of everyone', async () => {
    const member = await h.browserLogin(MEMBER, MEMBER_PASSWORD);
    expect((await h.app.inject({ url: '/api/v1/organisation', headers: member.headers })).statusCode).toBe(200);
    const denied = await h.app.inject({ method: 'PATCH', url: '/api/v1/organisation', headers: member.headers, payload: { mfaRequiredForAll: true } });
    expect(denied.statusCode).toBe(403);

    const changed = await h.app.inject({ method: 'PATCH', url: '/api/v1/organisation', headers: h.ownerAuth, payload: { mfaRequiredForAll: true } });
    expect(changed.statusCode).toBe(403); // an API token never manages the organisation
    const ownerSession = await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD);
    const { secret } = await h.enrolTotp(ownerSession.headers, OWNER_PASSWORD);
    ownerHeaders = (await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD, secret)).headers;
    const set = await h.app.inject({ method: 'PATCH', url: '/api/v1/organisation', headers: ownerHeaders, payload: { mfaRequiredForAll: true } });
    expect(set.json()).toMatchObject({ mfaRequiredForAll: true });

    const blocked = await h.app.inject({ url: '/api/v1/organisation', headers: member.headers });
    expect(blocked.json().error.code).toBe('mfa_enrolment_required');
    await h.enrolTotp(member.headers, MEMBER_PASSWORD);
    expect((await h.app.inject({ url: '/api/v1/organisation', headers: member.headers })).statusCode).toBe(200);
    const disable = await h.app.inject({ method: 'POST', url: '/api/v1/account/mfa/totp/disable', headers: member.headers, payload: { currentPassword: MEMBER_PASSWORD } });
    expect(disable.statusCode).toBe(401);
  });

  it('changes the sign-in address only after re-authentication, and tells the old address', async () => {
    await h.app.inject({ method: 'PATCH', url: '/api/v1/organisation', headers: ownerHeaders, payload: { mfaRequiredForAll: false } });
    const helper = 'helper@example.org';
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email: helper, role: 'member' } });
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(helper, '/invitation#token='), password: MEMBER_PASSWORD } });
    const session = await h.browserLogin(helper, MEMBER_PASSWORD);

    const noProof = await h.app.inject({ method: 'POST', url: '/api/v1/account/email', headers: session.headers, payload: { currentPassword: 'wrong wrong wrong', newEmail: 'new@example.org' } });
    expect(noProof.json().error.code).toBe('reauthentication_failed');
    const taken = await h.app.inject({ method: 'POST', url: '/api/v1/account/email', headers: session.headers, payload: { currentPassword: MEMBER_PASSWORD, newEmail: OWNER_EMAIL.toUpperCase() } });
    expect(taken.json().error).toMatchObject({ code: 'conflict', details: [{ path: 'body.newEmail' }] });

    const changed = await h.app.inject({ method: 'POST', url: '/api/v1/account/email', headers: session.headers, payload: { currentPassword: MEMBER_PASSWORD, newEmail: 'new@example.org' } });
    expect(changed.json()).toEqual({ email: 'new@example.org' });
    const notices = (await h.emails()).filter((m) => /sign-in address was changed/.test(m.subject)).map((m) => m.to);
    expect(notices).toEqual(expect.arrayContaining([helper, 'new@example.org']));
    expect((await h.login(helper, MEMBER_PASSWORD)).statusCode).toBe(401);
    expect((await h.login('new@example.org', MEMBER_PASSWORD)).statusCode).toBe(200);
  });

  it('records project creation and policy changes with their author', async () => {
    const policy = await examplePolicyExpiringIn('payqi');
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: policy.text } });
    await h.app.inject({ method: 'PUT', url: '/api/v1/projects/payqi/policy', headers: h.ownerAuth, payload: { policy: policy.text.replace('name: PayQI', 'name: PayQI 2') } });
    const entries = (await h.app.inject({ url: '/api/v1/audit?limit=500', headers: h.ownerAuth })).json().entries;
    const created = entries.find((e: { action: string }) => e.action === 'project.created');
    const updated = entries.find((e: { action: string }) => e.action === 'project.policy.updated');
    expect(created).toMatchObject({ actor_type: 'api_token', details: { slug: 'payqi', revision: 1 } });
    expect(updated).toMatchObject({ actor_type: 'api_token', details: { revision: 2 } });
  });

});
