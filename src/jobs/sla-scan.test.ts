import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../test/support/accounts.ts';
import { testContext } from '../../test/support/app.ts';
import { databaseKinds } from '../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../test/support/policies.ts';
import { scanSlaClocks } from '../services/triage/sla-scan.service.ts';
import { startJobRunner } from './job-runner.ts';

const HOUR = 3_600_000;

describe.each(databaseKinds)('SLA reminders and escalations on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let reportId: string;
  const ctx = () => testContext(h.database, h.now);
  const sent = async () =>
    (await h.database.db.selectFrom('sla_notification').select(['clock', 'kind', 'level']).where('report_id', '=', reportId).orderBy('created_at').orderBy('level').execute()).map((n) => `${n.clock}:${n.kind}:${n.level}`);

  beforeAll(async () => {
    // Leher: acknowledge within 48 hours. Default escalation: remind 24 h before; at breach the assignee (or triagers), +24 h project admins, +72 h owners.
    h = await accountsHarness(kind, { start: new Date('2026-11-23T09:00:00Z') });
    const policy = (await examplePolicyExpiringIn('leher', 190, h.now())).text;
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } });
    reportId = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { title: 't', description: 'd', steps_to_reproduce: 's', impact: 'i', affected_versions: { text: '1' } } })).json().id;
  });
  afterAll(() => h?.close());

  it('sends nothing while a deadline is far off', async () => {
    h.advance(10 * HOUR);
    await scanSlaClocks(ctx());
    expect(await sent()).toEqual([]);
  });

  it('reminds once when a deadline comes within a day', async () => {
    h.advance(15 * HOUR);
    await scanSlaClocks(ctx());
    await scanSlaClocks(ctx());
    expect(await sent()).toEqual(['acknowledgement:reminder:0']);
  });

  it('escalates step by step after a breach, each step once, even across runner restarts', async () => {
    h.advance(24 * HOUR); // 49 h: breached
    let runner = await startJobRunner(h.database, ctx(), { schedule: false });
    await runner.requestScan();
    await waitFor(async () => (await sent()).includes('acknowledgement:escalation:1'));
    await runner.stop();

    h.advance(25 * HOUR); // a day past the breach: project admins
    runner = await startJobRunner(h.database, ctx(), { schedule: false });
    await runner.requestScan();
    await runner.requestScan();
    await waitFor(async () => (await sent()).includes('acknowledgement:escalation:2'));
    await scanSlaClocks(ctx());
    await runner.stop();

    h.advance(48 * HOUR); // three days past: owners
    await scanSlaClocks(ctx());
    await scanSlaClocks(ctx());
    const notifications = (await sent()).filter((n) => n.startsWith('acknowledgement'));
    expect(notifications).toEqual(['acknowledgement:reminder:0', 'acknowledgement:escalation:1', 'acknowledgement:escalation:2', 'acknowledgement:escalation:3']);
  });

  it('queues one outbox event per notification and shows them over the API', async () => {
    const events = await h.database.db.selectFrom('outbox_event').select('topic').where('topic', 'in', ['sla.due_soon', 'sla.breached']).execute();
    const recorded = await h.database.db.selectFrom('sla_notification').select('id').execute();
    expect(events.length).toBe(recorded.length);
    const api = (await h.app.inject({ url: `/api/v1/reports/${reportId}/clocks`, headers: h.ownerAuth })).json();
    const owners = api.notifications.find((n: { level: number; clock: string }) => n.clock === 'acknowledgement' && n.level === 3);
    expect(owners.recipients).toEqual(['owner@example.org']);
  });

  it('stops escalating once the clock is met', async () => {
    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/actions`, headers: h.ownerAuth, payload: { type: 'acknowledge' } });
    h.advance(100 * HOUR);
    await scanSlaClocks(ctx());
    expect((await sent()).filter((n) => n.startsWith('acknowledgement')).length).toBe(4);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
