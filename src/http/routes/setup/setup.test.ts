import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testContext } from '../../../../test/support/app.ts';
import { databaseKinds, openTestDatabase } from '../../../../test/support/databases.ts';
import { issueSetupToken } from '../../../services/setup.service.ts';
import type { OpenDatabase } from '../../../storage/database.ts';
import { countUsers } from '../../../storage/repositories/user.repository.ts';
import type { App } from '../../app.ts';

const password = 'correct horse battery staple';

describe.each(databaseKinds)('first-owner setup on %s', (kind) => {
  let database: OpenDatabase;
  let app: App;
  let now = new Date('2026-11-23T10:00:00Z');
  const issue = () => issueSetupToken({ ...testContext(database, () => now), setupTokenTtlMinutes: 30 });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    app = await buildTestApp(database, { now: () => now });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('refuses authenticated routes with setup_required until an owner exists', async () => {
    expect((await app.inject('/api/v1/setup')).json()).toEqual({ required: true });
    const response = await app.inject({ method: 'POST', url: '/api/v1/projects', payload: { policy: 'x' } });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('setup_required');
  });

  it('rejects a malformed request with field paths and stores nothing', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: '', email: 'not-an-email', password: 'short' } });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.email', 'body.password', 'body.token']);
    expect(await countUsers(database.db)).toBe(0);
  });

  it('rejects a wrong or expired token and stores nothing', async () => {
    const issued = await issue();
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: 'emb_setup_guess', email: 'a@example.org', password } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('setup_token_invalid');

    now = new Date(now.getTime() + 31 * 60_000);
    const expired = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: issued!.token, email: 'a@example.org', password } });
    expect(expired.json().error.code).toBe('setup_token_invalid');
    expect(await countUsers(database.db)).toBe(0);
  });

  it('invalidates an older link when a new one is issued', async () => {
    const older = await issue();
    await issue();
    const response = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: older!.token, email: 'a@example.org', password } });
    expect(response.json().error.code).toBe('setup_token_invalid');
  });

  it('creates the owner once, returns a working API token, and cannot be repeated', async () => {
    const issued = await issue();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { token: issued!.token, email: 'owner@example.org', password, organisationName: 'Acme Security' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.owner).toMatchObject({ email: 'owner@example.org', role: 'owner' });
    expect(body.organisation.name).toBe('Acme Security');
    expect(body.apiToken).toMatch(/^emb_pat_[A-Za-z0-9_-]{43}$/);

    const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${body.apiToken}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: 'owner@example.org', role: 'owner' });

    const replay = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: issued!.token, email: 'evil@example.org', password } });
    expect(replay.statusCode).toBe(409);
    expect(replay.json().error.code).toBe('setup_already_done');
    expect(await issue()).toBeUndefined();
    expect((await app.inject('/api/v1/setup')).json()).toEqual({ required: false });
    expect(await countUsers(database.db)).toBe(1);
  });

  it('stores only a hash of the password and of the tokens', async () => {
    const user = await database.db.selectFrom('app_user').select('password_hash').executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const tokens = await database.db.selectFrom('api_token').select('token_hash').execute();
    for (const token of tokens) expect(token.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers unauthenticated (not setup_required) once set up, and refuses a bad token even on public routes', async () => {
    const anonymous = await app.inject('/api/v1/me');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');
    const forged = await app.inject({ url: '/api/v1/projects', headers: { authorization: 'Bearer emb_pat_forged' } });
    expect(forged.statusCode).toBe(401);
    const malformed = await app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic abc' } });
    expect(malformed.statusCode).toBe(401);
  });
});
