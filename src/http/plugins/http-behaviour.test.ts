import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, setUpOwner } from '../../../test/support/app.ts';
import { openTestDatabase } from '../../../test/support/databases.ts';
import type { OpenDatabase } from '../../storage/database.ts';
import { DEFAULT_BODY_LIMIT, type App } from '../app.ts';

// Behaviour shared by every route (errors, headers, OpenAPI) does not depend on the database engine.
describe('HTTP behaviour common to all routes', () => {
  let database: OpenDatabase;
  let app: App;
  let token: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    app = await buildTestApp(database);
    token = await setUpOwner(app, database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const post = (payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/api/v1/projects', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });

  it('answers malformed JSON with a coded 400 and no internals', async () => {
    const response = await post('{"policy": ');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'validation_failed', message: 'the body is not valid JSON', details: [{ path: 'body', message: 'is not valid JSON' }] } });
  });

  it('answers an oversized body with 413 payload_too_large', async () => {
    const response = await post(JSON.stringify({ policy: 'x'.repeat(DEFAULT_BODY_LIMIT + 1) }));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await post('<policy/>', 'application/xml');
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });

  it('names unknown properties in a strict body', async () => {
    const response = await post(JSON.stringify({ policy: 'a: 1', extra: true }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('body');
    expect(response.json().error.details[0].message).toMatch(/extra/);
  });

  it('answers unknown routes with route_not_found', async () => {
    const response = await app.inject('/api/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('route_not_found');
  });

  it('sets strict security headers, a request id, and no-store on API responses', async () => {
    const response = await app.inject('/api/v1/projects');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/setup', '/api/v1/projects', '/api/v1/projects/{slug}', '/api/v1/projects/{slug}/policy']));
    const setupBody = document.paths['/api/v1/setup'].post.requestBody.content['application/json'].schema;
    expect(setupBody.required).toEqual(expect.arrayContaining(['token', 'email', 'password']));
  });

  it('reports readiness with the database and migrations checked', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: true, migrations: true } });
  });

  it('refuses to register a route without an access rule', async () => {
    const fresh = await buildTestApp(database);
    expect(() => fresh.get('/api/v1/unguarded', async () => 'x')).toThrow(/declares no access rule/);
    await fresh.close();
  });
});
