import { readFile } from 'node:fs/promises';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, setUpOwner } from '../../../../test/support/app.ts';
import { databaseKinds, openTestDatabase } from '../../../../test/support/databases.ts';
import { createSecurityTxtSigner } from '../../../services/policy-documents.service.ts';
import type { OpenDatabase } from '../../../storage/database.ts';
import type { App } from '../../app.ts';

const examples = new URL('../../../../examples/policies/', import.meta.url);
const policyText = (name: string) => readFile(new URL(`${name}.yaml`, examples), 'utf8');
const now = new Date('2026-11-23T12:00:00Z');

describe.each(databaseKinds)('projects and published policy documents on %s', (kind) => {
  let database: OpenDatabase;
  let app: App;
  let auth: { authorization: string };
  let verificationKey: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ email: 'security@embargo.test' }], format: 'armored' });
    verificationKey = publicKey;
    app = await buildTestApp(database, { now: () => now, signer: createSecurityTxtSigner({ armoredPrivateKey: privateKey }) });
    auth = { authorization: `Bearer ${await setUpOwner(app, database)}` };
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('has no instance security.txt before the first project', async () => {
    const response = await app.inject('/.well-known/security.txt');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('refuses project creation without a token', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/projects', payload: { policy: await policyText('payqi') } });
    expect(response.statusCode).toBe(401);
  });

  it('creates a project from a policy file', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy: await policyText('payqi') } });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ slug: 'payqi', policyRevision: 1, links: { securityTxt: 'https://embargo.test/p/payqi/security.txt' } });
    expect(body.policy.project.slug).toBe('payqi');
    expect((await app.inject('/api/v1/projects')).json().projects).toEqual([{ slug: 'payqi', name: body.name }]);
  });

  it('rejects an invalid policy with field paths and stores nothing', async () => {
    const broken = (await policyText('leher')).replace(/^(\s*slug:).*$/m, '$1 "Leher Project!"');
    const response = await app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy: broken } });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('invalid_policy');
    expect(error.details.map((d: { path: string }) => d.path)).toContain('project.slug');
    expect((await app.inject('/api/v1/projects')).json().projects.map((p: { slug: string }) => p.slug)).toEqual(['payqi']);
  });

  it('rejects YAML that does not parse', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy: 'project: [unclosed' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_policy');
  });

  it.each([
    ['has already expired', '2026-01-01T00:00:00Z'],
    ['expires more than a year ahead', '2028-01-01T00:00:00Z'],
  ])('refuses a policy whose security.txt %s', async (_case, expires) => {
    const policy = (await policyText('leher')).replace(/^(\s+expires:) .*$/m, `$1 ${expires}`);
    const response = await app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_policy', details: [{ path: 'security_txt.expires' }] });
    expect((await app.inject('/api/v1/projects/leher')).statusCode).toBe(404);
  });

  it('refuses a second project with the same slug', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy: await policyText('payqi') } });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'conflict', details: [{ path: 'project.slug', message: 'is already taken' }] });
  });

  it('updates the policy as a new revision, and refuses a slug change', async () => {
    const original = await policyText('payqi');
    const renamed = original.replace(/^(\s*name:).*$/m, '$1 PayQI Payments');
    const update = await app.inject({ method: 'PUT', url: '/api/v1/projects/payqi/policy', headers: auth, payload: { policy: renamed } });
    expect(update.statusCode).toBe(200);
    expect(update.json()).toMatchObject({ name: 'PayQI Payments', policyRevision: 2 });

    const moved = await app.inject({ method: 'PUT', url: '/api/v1/projects/payqi/policy', headers: auth, payload: { policy: await policyText('leher') } });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.details[0].path).toBe('project.slug');

    const missing = await app.inject({ method: 'PUT', url: '/api/v1/projects/ghost/policy', headers: auth, payload: { policy: original.replace(/^(\s*slug:).*$/m, '$1 ghost') } });
    expect(missing.statusCode).toBe(404);

    const revisions = await app.inject({ url: '/api/v1/projects/payqi/policy/revisions', headers: auth });
    expect(revisions.json().revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    const anonymousHistory = await app.inject('/api/v1/projects/payqi/policy/revisions');
    expect(anonymousHistory.statusCode).toBe(401);

    const exported = await app.inject('/api/v1/projects/payqi/policy.yaml');
    expect(exported.headers['content-type']).toMatch(/^application\/yaml/);
    expect(exported.body).toBe(renamed);
  });

  it('serves a signed security.txt per project and for the instance', async () => {
    for (const url of ['/p/payqi/security.txt', '/.well-known/security.txt']) {
      const response = await app.inject(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      const message = await openpgp.readCleartextMessage({ cleartextMessage: response.body });
      const verification = await openpgp.verify({ message, verificationKeys: await openpgp.readKey({ armoredKey: verificationKey }), expectSigned: true });
      const text = verification.data;
      expect(text).toMatch(/^Contact: https:\/\/github\.com\/sohamgherwada\/PayQI\/security\/advisories\/new$/m);
      expect(text).toMatch(/^Expires: \d{4}-\d\d-\d\dT/m);
      expect(text).toContain(`Canonical: https://embargo.test${url}`);
      expect(text).toContain('Policy: https://embargo.test/p/payqi/SECURITY.md');
    }
  });

  it('serves SECURITY.md rendered from the current policy', async () => {
    const response = await app.inject('/p/payqi/SECURITY.md');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toMatch(/PayQI Payments/);
    expect(response.body).toMatch(/48 hours/);
  });

  it('answers 404 with a code for an unknown project and 400 for a malformed slug', async () => {
    expect((await app.inject('/p/nothing/SECURITY.md')).json().error.code).toBe('not_found');
    const bad = await app.inject('/p/Bad_Slug/security.txt');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('params.slug');
  });
});
