import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, setUpOwner, testContext } from '../../../test/support/app.ts';
import { databaseKinds, openTestDatabase } from '../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../test/support/policies.ts';
import { validReport } from '../../../test/support/reports.ts';
import { startJobRunner, type JobRunner } from '../../jobs/job-runner.ts';
import type { OpenDatabase } from '../../storage/database.ts';
import type { App } from '../app.ts';

const METRICS_TOKEN = 'metrics-token-Vq3xR8pLm2Zt7Kc9Wd4Nf6Hy1Bj5Gs0A';

/** The value of one sample line, e.g. `name{label="x"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(databaseKinds)('metrics and readiness on %s', (kind) => {
  let database: OpenDatabase;
  let jobs: JobRunner;
  let app: App;
  let ownerAuth: { authorization: string };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    jobs = await startJobRunner(database, testContext(database), { schedule: false });
    app = await buildTestApp(database, { jobs });
    ownerAuth = { authorization: `Bearer ${await setUpOwner(app, database)}` };
    await app.inject({ method: 'POST', url: '/api/v1/projects', headers: ownerAuth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
  });
  afterAll(async () => {
    await app?.close();
    await jobs?.stop();
    await database?.close();
  });

  it('counts requests by route pattern, never by raw URL, and reports received', async () => {
    const submitted = await app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
    expect(submitted.statusCode).toBe(201);
    const { id, followUpToken } = submitted.json<{ id: string; followUpToken: string }>();
    expect((await app.inject({ url: `/api/v1/reports/${id}`, headers: ownerAuth })).statusCode).toBe(200);
    await app.inject({ url: `/no/such/${id}` });

    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(sample(text, 'embargo_http_request_duration_seconds_count{method="GET",route="/api/v1/reports/:reportId",status_code="200"}')).toBe(1);
    expect(sample(text, 'embargo_http_request_duration_seconds_count{method="POST",route="/api/v1/projects/:slug/reports",status_code="201"}')).toBe(1);
    expect(sample(text, 'embargo_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect(text).not.toContain(id);
    expect(text).not.toContain(followUpToken);
    expect(sample(text, 'embargo_reports_received_total')).toBe(1);
    expect(sample(text, 'embargo_sla_breaches_total')).toBe(0);
    expect(sample(text, 'embargo_email_delivery_failures_total')).toBe(0);
    expect(sample(text, 'embargo_webhook_delivery_failures_total')).toBe(0);
    expect(sample(text, 'embargo_job_queue_depth{queue="sla-scan"}')).toBe(0);
    expect(sample(text, 'embargo_job_failures_total{queue="advisory-publish-due"}')).toBe(0);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('reports the depth of job queues across instances', async () => {
    await jobs.boss.send('sla-scan', {}, { startAfter: 3600 }); // waits an hour: nothing takes it meanwhile
    const text = (await app.inject('/metrics')).body;
    expect(sample(text, 'embargo_job_queue_depth{queue="sla-scan"}')).toBe(1);
  });

  it('keeps a registry per app: a second app starts from zero', async () => {
    const other = await buildTestApp(database);
    const text = (await other.inject('/metrics')).body;
    expect(text).not.toMatch(/^embargo_http_request_duration_seconds_count\{method="POST"/m);
    expect(text).not.toMatch(/^embargo_job_queue_depth/m);
    await other.close();
  });

  it('asks for the metrics token when one is configured, and takes only that one', async () => {
    const guarded = await buildTestApp(database, { config: { metrics: { token: METRICS_TOKEN } } });
    const none = await guarded.inject('/metrics');
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthenticated');
    const wrong = await guarded.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    // A user's API token is no metrics token.
    expect((await guarded.inject({ url: '/metrics', headers: ownerAuth })).statusCode).toBe(401);
    const right = await guarded.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.statusCode).toBe(200);
    expect(right.body).toMatch(/^embargo_reports_received_total \d+$/m);
    await guarded.close();
  });

  it('hides the endpoint in production when no token is configured', async () => {
    const production = await buildTestApp(database, { config: { env: 'production', metrics: { token: undefined } } });
    const response = await production.inject('/metrics');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('route_not_found');
    await production.close();
  });

  it('is ready only while the job runner runs', async () => {
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: true, migrations: true, jobs: true } });
    const ownJobs = await startJobRunner(database, testContext(database), { schedule: false });
    const withOwn = await buildTestApp(database, { jobs: ownJobs });
    expect((await withOwn.inject('/readyz')).statusCode).toBe(200);
    await ownJobs.stop();
    const stopped = await withOwn.inject('/readyz');
    expect(stopped.statusCode).toBe(503);
    expect(stopped.json()).toEqual({ status: 'unavailable', checks: { database: true, migrations: true, jobs: false } });
    // Liveness is the process alone.
    expect((await withOwn.inject('/healthz')).statusCode).toBe(200);
    await withOwn.close();
  });
});
