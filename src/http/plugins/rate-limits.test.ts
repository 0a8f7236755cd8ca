import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testConfig } from '../../../test/support/app.ts';
import { openTestDatabase } from '../../../test/support/databases.ts';
import type { OpenDatabase } from '../../storage/database.ts';
import type { App } from '../app.ts';
import { HASH_WORK_PER_IP } from './rate-limits.ts';

describe('rate limits', () => {
  let database: OpenDatabase;
  let app: App;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    app = await buildTestApp(database, { config: { http: { ...testConfig.http, rateLimitPerMinute: 30, authRateLimitPerMinute: 3 } } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const login = (ip: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: 'x@example.org', password: 'whatever it is' } });

  it('answers 429 with Retry-After once an address exceeds the sign-in budget, without affecting other addresses', async () => {
    for (let i = 0; i < 3; i++) expect((await login('203.0.113.1')).statusCode).toBe(401);
    const limited = await login('203.0.113.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('203.0.113.2')).statusCode).toBe(401);
  });

  it('limits all routes per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await app.inject({ url: '/healthz', remoteAddress: '198.51.100.7' })).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('bounds concurrent password hashing per address', async () => {
    const ip = '192.0.2.9';
    const wide = await buildTestApp(database, { config: { http: { ...testConfig.http, rateLimitPerMinute: 1000, authRateLimitPerMinute: 1000 } } });
    const burst = await Promise.all(Array.from({ length: HASH_WORK_PER_IP + 3 }, () =>
      wide.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: 'x@example.org', password: 'whatever it is' } }),
    ));
    const statuses = burst.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(HASH_WORK_PER_IP);
    // Once those finish, the address may hash again.
    expect((await wide.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: 'x@example.org', password: 'whatever it is' } })).statusCode).toBe(401);
    await wide.close();
  });

  it('allows no cross-origin calls unless configured', async () => {
    const preflight = await app.inject({ method: 'OPTIONS', url: '/api/v1/projects', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' }, remoteAddress: '198.51.100.99' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await buildTestApp(database, { config: { http: { ...testConfig.http, corsOrigins: ['https://dashboard.example'], rateLimitPerMinute: 100, authRateLimitPerMinute: 10 } } });
    const ok = await allowed.inject({ method: 'GET', url: '/api/v1/projects', headers: { origin: 'https://dashboard.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://dashboard.example');
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    const other = await allowed.inject({ method: 'GET', url: '/api/v1/projects', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    await allowed.close();
  });
});
