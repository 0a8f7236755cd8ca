import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/http/app.ts';
import { startJobRunner, type JobRunner } from '../../src/jobs/job-runner.ts';
import { openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { advisoryBody } from '../support/advisories.ts';
import { buildTestApp, setUpOwner, testConfig, testContext } from '../support/app.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { createDatabase } from '../support/postgres-cluster.ts';
import { validReport } from '../support/reports.ts';

const HOUR = 3_600_000;
const PER_MINUTE = 12;
const SIGN_INS_PER_MINUTE = 3;

interface Instance {
  database: OpenDatabase;
  app: App;
  jobs: JobRunner;
}

/**
 * Two application instances on one PostgreSQL database, each with its own
 * pool, app and job runner, as two processes behind a load balancer would be.
 */
describe('two instances sharing PostgreSQL', () => {
  let now = new Date('2026-11-23T09:00:00Z');
  const clock = () => now;
  const instances: Instance[] = [];
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    const url = await createDatabase(inject('postgresUrl'), `embargo_scale_${randomBytes(4).toString('hex')}`);
    const http = { ...testConfig.http, rateLimitPerMinute: PER_MINUTE, authRateLimitPerMinute: SIGN_INS_PER_MINUTE };
    for (let i = 0; i < 2; i++) {
      const database = await openDatabase({ kind: 'postgres', url, ssl: 'disable', poolSize: 4 });
      await migrateToLatest(database.db);
      const jobs = await startJobRunner(database, testContext(database, clock), { schedule: false });
      instances.push({ database, jobs, app: await buildTestApp(database, { now: clock, jobs, config: { http } }) });
    }
    [a, b] = instances as [Instance, Instance];
  });
  afterAll(async () => {
    for (const { app, jobs, database } of instances) {
      await app.close();
      await jobs.stop();
      await database.close();
    }
  });

  it('shares the per-address budget: requests split across both instances hit the limit at the configured total', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_MINUTE + 2; i++) {
      const instance = i % 2 === 0 ? a : b;
      statuses.push((await instance.app.inject({ url: '/healthz', remoteAddress: '198.51.100.20' })).statusCode);
    }
    expect(statuses.slice(0, PER_MINUTE)).toEqual(Array(PER_MINUTE).fill(200));
    expect(statuses.slice(PER_MINUTE)).toEqual([429, 429]);
    const limited = await a.app.inject({ url: '/healthz', remoteAddress: '198.51.100.20' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address has its own budget on both.
    expect((await b.app.inject({ url: '/healthz', remoteAddress: '198.51.100.21' })).statusCode).toBe(200);
  });

  it('shares a route’s own lower budget too (sign-in)', async () => {
    const login = (instance: Instance) =>
      instance.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.40', payload: { email: 'nobody@example.org', password: 'not the password' } });
    const statuses = [];
    for (let i = 0; i < SIGN_INS_PER_MINUTE + 1; i++) statuses.push((await login(i % 2 === 0 ? a : b)).statusCode);
    expect(statuses).toEqual([...Array(SIGN_INS_PER_MINUTE).fill(401), 429]);
  });

  it('publishes a scheduled advisory exactly once while both job runners ask for it', async () => {
    const ownerAuth = { authorization: `Bearer ${await setUpOwner(a.app, a.database)}` };
    const call = (instance: Instance, method: 'GET' | 'POST', url: string, payload?: object) =>
      instance.app.inject({ method, url, headers: ownerAuth, remoteAddress: '192.0.2.50', ...(payload ? { payload } : {}) });
    // Setting up on both instances, alternately: each sees the other's writes.
    expect((await call(b, 'POST', '/api/v1/projects', { policy: (await examplePolicyExpiringIn('payqi', 190, now)).text })).statusCode).toBe(201);
    const submitted = await a.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', remoteAddress: '192.0.2.51', payload: { ...validReport, credit: { mode: 'named', name: 'Ada Researcher' } } });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const reportId = submitted.json().id as string;
    for (const [instance, type] of [[b, 'acknowledge'], [a, 'accept']] as const) {
      expect((await call(instance, 'POST', `/api/v1/reports/${reportId}/actions`, { type })).statusCode).toBe(200);
    }
    const draft = await call(b, 'POST', '/api/v1/projects/payqi/advisories', { ...advisoryBody, reportIds: [reportId] });
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().advisory.id as string;
    expect((await call(a, 'POST', `/api/v1/advisories/${id}/schedule`, { at: new Date(now.getTime() + HOUR).toISOString() })).statusCode).toBe(200);

    now = new Date(now.getTime() + HOUR + 60_000);
    await Promise.all([a.jobs.requestAdvisoryPublication(), b.jobs.requestAdvisoryPublication(), a.jobs.requestAdvisoryPublication(), b.jobs.requestAdvisoryPublication()]);
    const state = async () => a.database.db.selectFrom('advisory').select(['state', 'revision']).where('advisory_id', '=', id).executeTakeFirstOrThrow();
    const deadline = Date.now() + 30_000;
    while ((await state()).state !== 'published') {
      if (Date.now() > deadline) throw new Error('the advisory was not published');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Let any other queued run happen too, then count what publication leaves behind.
    await Promise.all([a.jobs.requestAdvisoryPublication(), b.jobs.requestAdvisoryPublication()]);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await state()).toEqual({ state: 'published', revision: 1 });
    const db = a.database.db;
    expect(await db.selectFrom('advisory_revision').select('id').execute()).toHaveLength(1);
    expect(await db.selectFrom('outbox_event').select('id').where('topic', '=', 'advisory.published').execute()).toHaveLength(1);
    expect(await db.selectFrom('audit_log').select('seq').where('action', '=', 'advisory.published').execute()).toHaveLength(1);
    for (const instance of [a, b]) {
      const read = await call(instance, 'GET', `/api/v1/advisories/${id}`);
      expect(read.statusCode).toBe(200);
      expect(read.body).toContain('"state":"published"');
    }
  });
});
