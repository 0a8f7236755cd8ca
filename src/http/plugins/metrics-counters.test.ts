import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, setUpOwner, testContext } from '../../../test/support/app.ts';
import { databaseKinds, openTestDatabase } from '../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../test/support/policies.ts';
import { validReport } from '../../../test/support/reports.ts';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { SLA_SCAN_QUEUE, startJobRunner, type JobRunner } from '../../jobs/job-runner.ts';
import { deliverDueWebhooks } from '../../jobs/webhook-dispatcher.ts';
import { scanSlaClocks } from '../../services/triage/sla-scan.service.ts';
import { fanOutWebhookEvents } from '../../services/webhooks/fan-out.ts';
import type { OpenDatabase } from '../../storage/database.ts';
import type { App } from '../app.ts';

const HOUR = 3_600_000;

/** The value of one sample line, e.g. `name{label="x"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The alerting counters rise on the real events behind them: an SLA scan
 * finding a breach, a receiver refusing a webhook, a job whose handler fails.
 * An alert rule on a counter that never moves would stay silent forever.
 */
describe.each(databaseKinds)('metrics counters on %s', (kind) => {
  let database: OpenDatabase;
  let jobs: JobRunner;
  let app: App;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let ownerAuth: { authorization: string };
  let now = new Date('2026-11-23T09:00:00Z');
  const clock = () => now;
  const ctx = () => testContext(database, clock);
  const scrape = async (series: string) => {
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    return sample(response.body, series);
  };
  const submit = async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: validReport });
    expect(response.statusCode, response.body).toBe(201);
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    jobs = await startJobRunner(database, ctx(), { schedule: false });
    app = await buildTestApp(database, { now: clock, jobs });
    receiver = await startWebhookReceiver();
    ownerAuth = { authorization: `Bearer ${await setUpOwner(app, database)}` };
    // Leher: acknowledge within 48 hours; the first escalation step fires at the breach.
    const created = await app.inject({ method: 'POST', url: '/api/v1/projects', headers: ownerAuth, payload: { policy: (await examplePolicyExpiringIn('leher', 190, now)).text } });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await jobs?.stop();
    await receiver?.close();
    await database?.close();
  });

  it('counts an SLA breach once the scan finds a deadline passed, once per breach', async () => {
    await submit();
    await scanSlaClocks(ctx());
    expect(await scrape('embargo_sla_breaches_total')).toBe(0);
    expect(await scrape('embargo_reports_sla_breached')).toBe(0);

    now = new Date(now.getTime() + 49 * HOUR);
    await scanSlaClocks(ctx());
    expect(await scrape('embargo_sla_breaches_total')).toBe(1);
    expect(await scrape('embargo_reports_sla_breached')).toBe(1);

    // The next escalation step of the same breach is no second breach.
    now = new Date(now.getTime() + 25 * HOUR);
    await scanSlaClocks(ctx());
    const steps = await database.db.selectFrom('sla_notification').select('level').where('kind', '=', 'escalation').execute();
    expect(steps.length).toBe(2);
    expect(await scrape('embargo_sla_breaches_total')).toBe(1);
  });

  it('counts a webhook delivery the receiver answers with 500', async () => {
    const hook = await app.inject({ method: 'POST', url: '/api/v1/projects/leher/webhooks', headers: ownerAuth, payload: { url: receiver.url, eventTypes: ['report.received'] } });
    expect(hook.statusCode, hook.body).toBe(201);
    // The earlier test's report is still waiting to be fanned out: delivered first, so only the next one fails.
    await fanOutWebhookEvents(ctx());
    expect(await deliverDueWebhooks(ctx(), { maxConsecutiveFailures: 10 })).toEqual({ delivered: 1, failed: 0 });
    expect(await scrape('embargo_webhook_delivery_failures_total')).toBe(0);

    receiver.failNext(1);
    await submit();
    await fanOutWebhookEvents(ctx());
    expect(await deliverDueWebhooks(ctx(), { maxConsecutiveFailures: 10 })).toEqual({ delivered: 0, failed: 1 });
    expect(receiver.received.map((r) => r.status)).toEqual([200, 500]);
    expect(await scrape('embargo_webhook_delivery_failures_total')).toBe(1);

    // A retry that gets through leaves the failure counted and adds none.
    now = new Date(now.getTime() + 2 * HOUR);
    expect(await deliverDueWebhooks(ctx(), { maxConsecutiveFailures: 10 })).toEqual({ delivered: 1, failed: 0 });
    expect(await scrape('embargo_webhook_delivery_failures_total')).toBe(1);
  });

  it('counts a job whose handler fails, on its queue', async () => {
    const failures = `embargo_job_failures_total{queue="${SLA_SCAN_QUEUE}"}`;
    expect(await scrape(failures)).toBe(0);
    // The database refuses the scan's write to the report, as it would a full disk: a real failure of the real job.
    await database.executeSql(`CREATE FUNCTION refuse_report_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`, []);
    await database.executeSql(`CREATE TRIGGER refuse_report_update BEFORE UPDATE ON report FOR EACH ROW EXECUTE FUNCTION refuse_report_update()`, []);
    try {
      await jobs.requestScan();
      await until(async () => ((await scrape(failures)) ?? 0) >= 1);
    } finally {
      await database.executeSql(`DROP TRIGGER refuse_report_update ON report`, []);
      await database.executeSql(`DROP FUNCTION refuse_report_update()`, []);
    }
    expect(await scrape(`embargo_job_failures_total{queue="advisory-publish-due"}`)).toBe(0);

    // Once the database takes writes again a scan succeeds and the count stays where the failures left it.
    // Counted after one success, so no handler that began while the trigger stood is still running.
    const completed = async () => (await database.executeSql(`SELECT 1 FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [SLA_SCAN_QUEUE])).rows.length;
    await jobs.requestScan();
    await until(async () => (await completed()) >= 1);
    const counted = await scrape(failures);
    const before = await completed();
    await jobs.requestScan();
    await until(async () => (await completed()) > before);
    expect(await scrape(failures)).toBe(counted);
  });
});
