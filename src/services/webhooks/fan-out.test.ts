import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../test/support/accounts.ts';
import { testContext } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../test/support/policies.ts';
import { validReport } from '../../../test/support/reports.ts';
import { listOutboxEvents, listParkedOutboxEvents } from '../../storage/repositories/outbox.repository.ts';
import type { ServiceContext } from '../context.ts';
import { EMAIL_TOPIC, enqueueEvent, openEmailPayload } from '../outbox.service.ts';
import { fanOutWebhookEvents, MAX_FAN_OUT_ATTEMPTS } from './fan-out.ts';

const HOUR = 60 * 60_000;

describe.each(databaseKinds)('outbox fan-out with a poisoned event on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let ctx: ServiceContext;

  beforeAll(async () => {
    h = await accountsHarness(kind);
    ctx = testContext(h.database, h.now);
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
    const hook = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/webhooks', headers: h.ownerAuth, payload: { url: 'http://127.0.0.1:9/hook', eventTypes: ['report.received', 'report.state_changed'] } });
    expect(hook.statusCode, hook.body).toBe(201);
    await fanOutWebhookEvents(ctx);
  });
  afterAll(async () => {
    await h?.close();
  });

  const deliveriesOf = (eventId: string) => h.database.db.selectFrom('webhook_delivery').select('id').where('event_id', '=', eventId).execute();

  it('rolls back only the event a consumer fails on, retries it with backoff, and parks it after the last attempt', async () => {
    // The database itself refuses this payload (not a uuid): the transaction would be aborted without a savepoint.
    await h.database.db.transaction().execute((trx) => enqueueEvent(trx, ctx, 'report.state_changed', { reportId: 'not-a-uuid', from: 'new', to: 'triaging' }));
    h.advance(1_000);
    const submitted = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
    expect(submitted.statusCode).toBe(201);
    const [poisoned] = await listOutboxEvents(h.database.db, 'report.state_changed');
    const [received] = await listOutboxEvents(h.database.db, 'report.received');

    const first = await fanOutWebhookEvents(ctx);
    expect(first.created).toBe(1);
    expect(first.failed).toEqual([expect.objectContaining({ eventId: poisoned!.id, attempts: 1, parked: false })]);
    // The healthy event after it went out in full: its webhook delivery and the reporter's receipt.
    expect(await deliveriesOf(received!.id)).toHaveLength(1);
    const mails = (await listOutboxEvents(h.database.db, EMAIL_TOPIC)).map((e) => openEmailPayload(ctx, e));
    expect(mails.filter((m) => m.subject.startsWith('We received your report'))).toHaveLength(1);
    expect((await listOutboxEvents(h.database.db, 'report.received'))[0]!.delivered_at).not.toBeNull();
    const afterFirst = (await listOutboxEvents(h.database.db, 'report.state_changed'))[0]!;
    expect(afterFirst).toMatchObject({ attempts: 1, delivered_at: null, parked_at: null, last_error: expect.stringMatching(/uuid/) });
    expect(afterFirst.available_at.getTime()).toBeGreaterThan(h.now().getTime());

    // Not due again until its backoff has passed.
    expect((await fanOutWebhookEvents(ctx)).failed).toEqual([]);
    const results = [];
    for (let i = 1; i < MAX_FAN_OUT_ATTEMPTS; i += 1) {
      h.advance(2 * HOUR);
      results.push(...(await fanOutWebhookEvents(ctx)).failed.map((f) => ({ attempts: f.attempts, parked: f.parked })));
    }
    expect(results.at(-1)).toEqual({ attempts: MAX_FAN_OUT_ATTEMPTS, parked: true });
    expect(results.filter((r) => r.parked)).toHaveLength(1);
    expect(await listParkedOutboxEvents(h.database.db, 10)).toEqual([expect.objectContaining({ id: poisoned!.id, attempts: MAX_FAN_OUT_ATTEMPTS })]);
    const audit = await h.database.db.selectFrom('audit_log').select(['action', 'object_id', 'details']).where('action', '=', 'outbox.event_parked').execute();
    expect(audit).toEqual([{ action: 'outbox.event_parked', object_id: poisoned!.id, details: { topic: 'report.state_changed', attempts: MAX_FAN_OUT_ATTEMPTS } }]);

    h.advance(24 * HOUR);
    expect(await fanOutWebhookEvents(ctx)).toEqual({ created: 0, failed: [] });
    expect(await deliveriesOf(poisoned!.id)).toEqual([]);
  });
});
