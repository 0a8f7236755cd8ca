import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ADVISORY_PUBLISH_QUEUE } from '../../src/jobs/job-runner.ts';
import { openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { advisoryBody } from '../support/advisories.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { createDatabase } from '../support/postgres-cluster.ts';
import { validReport } from '../support/reports.ts';
import { freePort, startServe, type ServeProcess } from '../support/serve-process.ts';

const SIGN_INS_PER_MINUTE = 4;

/**
 * Two `embargo serve` processes on one PostgreSQL database, as behind a load
 * balancer: each with its own pool and pg-boss runner on its real schedule
 * (test/e2e/scale-out.test.ts covers the same in one process, with the
 * clock under test control). The scheduled publication runs once, whichever
 * process's cron fires, and the per-address rate limit is one budget.
 */
describe('two embargo serve processes sharing PostgreSQL', () => {
  const processes: ServeProcess[] = [];
  let database: OpenDatabase | undefined;
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await database?.close();
  });

  it('publish a scheduled advisory exactly once on the real schedule, and share a rate limit', { timeout: 300_000 }, async () => {
    const url = await createDatabase(inject('postgresUrl'), `embargo_scale2_${randomBytes(4).toString('hex')}`);
    // One data dir for both: it holds only the generated secrets, which instances must share.
    const env = { DATABASE_URL: url, DATABASE_POOL_SIZE: '4', EMBARGO_DATA_DIR: await mkdtemp(join(tmpdir(), 'embargo-scale-')), EMBARGO_LOG_LEVEL: 'warn', EMBARGO_AUTH_RATE_LIMIT_PER_MINUTE: String(SIGN_INS_PER_MINUTE), EMBARGO_RATE_LIMIT_PER_MINUTE: '1000' };
    const bases: string[] = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      bases.push(`http://127.0.0.1:${port}`);
      processes.push(await startServe({ ...env, EMBARGO_PORT: String(port) }, bases[i]!));
      await processes[i]!.waitForOutput(/setup#token=/);
    }
    const [a, b] = bases as [string, string];
    // Each start issues a fresh setup token and voids the one before it: the last is the one that works.
    const token = [...processes.map((p) => p.output()).join('\n').matchAll(/setup#token=(emb_setup_[A-Za-z0-9_-]+)/g)].at(-1)?.[1];
    expect(token).toBeDefined();
    const send = async (base: string, method: string, path: string, body?: object, auth?: string) => {
      const response = await fetch(`${base}${path}`, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(auth ? { authorization: auth } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> & { advisory?: { id: string; state?: string } } };
    };

    // Setting up alternately on both: each sees the other's writes.
    const setup = await send(a, 'POST', '/api/v1/setup', { token, email: 'owner@example.org', password: 'correct horse battery staple' });
    expect(setup, processes.map((p) => p.output()).join('\n')).toMatchObject({ status: 201 });
    const owner = `Bearer ${setup.body.apiToken as string}`;
    expect((await send(b, 'POST', '/api/v1/projects', { policy: (await examplePolicyExpiringIn('payqi', 190)).text }, owner)).status).toBe(201);
    const report = await send(a, 'POST', '/api/v1/projects/payqi/reports', { ...validReport, credit: { mode: 'named', name: 'Ada Researcher' } });
    expect(report.status).toBe(201);
    for (const [base, type] of [[b, 'acknowledge'], [a, 'accept']] as const) expect((await send(base, 'POST', `/api/v1/reports/${report.body.id as string}/actions`, { type }, owner)).status).toBe(200);
    const draft = await send(b, 'POST', '/api/v1/projects/payqi/advisories', { ...advisoryBody, reportIds: [report.body.id] }, owner);
    expect(draft.status).toBe(201);
    const id = draft.body.advisory!.id;
    expect((await send(a, 'POST', `/api/v1/advisories/${id}/schedule`, { at: new Date(Date.now() + 10_000).toISOString() }, owner)).status).toBe(200);

    // Both runners schedule the minute job; pg-boss's cron makes one job a minute between them.
    const deadline = Date.now() + 200_000;
    while ((await send(b, 'GET', `/api/v1/advisories/${id}`, undefined, owner)).body.advisory?.state !== 'published') {
      if (Date.now() > deadline) throw new Error(`not published:\n${processes.map((p) => p.output()).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    database = await openDatabase({ kind: 'postgres', url, ssl: 'disable', poolSize: 1 });
    const perMinute = await sql<{ minute: Date; jobs: number }>`select date_trunc('minute', created_on) as minute, count(*)::int as jobs from pgboss.job where name = ${ADVISORY_PUBLISH_QUEUE} group by 1`.execute(database.db);
    expect(perMinute.rows.length).toBeGreaterThan(0);
    expect(perMinute.rows.filter((r) => r.jobs !== 1)).toEqual([]);
    const db = database.db;
    expect(await db.selectFrom('advisory').select(['state', 'revision']).where('advisory_id', '=', id).execute()).toEqual([{ state: 'published', revision: 1 }]);
    expect(await db.selectFrom('outbox_event').select('id').where('topic', '=', 'advisory.published').execute()).toHaveLength(1);
    expect(await db.selectFrom('audit_log').select('seq').where('action', '=', 'advisory.published').execute()).toHaveLength(1);
    for (const base of bases) expect((await send(base, 'GET', `/api/v1/projects/payqi/advisories/${id}`)).status).toBe(200);

    // Sign-ins from one address, alternately to each process, share one budget.
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_INS_PER_MINUTE; i++) statuses.push((await send(bases[i % 2]!, 'POST', '/api/v1/auth/login', { email: 'nobody@example.org', password: 'not the password', mode: 'api' })).status);
    expect(statuses).toEqual([...Array(SIGN_INS_PER_MINUTE).fill(401), 429]);
  });
});
