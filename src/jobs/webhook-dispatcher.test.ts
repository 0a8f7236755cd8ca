import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountsHarness } from '../../test/support/accounts.ts';
import { testContext } from '../../test/support/app.ts';
import { databaseKinds } from '../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../test/support/policies.ts';
import { startWebhookReceiver } from '../../test/support/webhook-receiver.ts';
import type { ServiceContext } from '../services/context.ts';
import { fanOutWebhookEvents } from '../services/webhooks/fan-out.ts';
import { leaseDueDeliveries } from '../storage/repositories/webhook-delivery.repository.ts';
import { deliverDueWebhooks } from './webhook-dispatcher.ts';

const HOUR = 60 * 60_000;
const report = { title: 'Secret title SQLi', description: 'the secret details', steps_to_reproduce: 's', impact: 'i' };

describe.each(databaseKinds)('signed webhooks on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let ctx: ServiceContext;

  beforeAll(async () => {
    h = await accountsHarness(kind);
    receiver = await startWebhookReceiver();
    ctx = testContext(h.database, h.now);
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
  });
  afterAll(async () => {
    await receiver?.close();
    await h?.close();
  });

  const createWebhook = async (url = receiver.url, eventTypes = ['report.received']) => {
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/webhooks', headers: h.ownerAuth, payload: { url, eventTypes } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; secret: string }>();
  };
  const disable = (id: string) => h.app.inject({ method: 'PATCH', url: `/api/v1/projects/payqi/webhooks/${id}`, headers: h.ownerAuth, payload: { enabled: false } });
  const submit = async () => (await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: report })).json<{ id: string }>().id;
  const run = async (options = {}) => {
    await fanOutWebhookEvents(ctx);
    return deliverDueWebhooks(ctx, { maxConsecutiveFailures: 10, ...options });
  };
  const deliveries = async (id: string) => (await h.app.inject({ method: 'GET', url: `/api/v1/projects/payqi/webhooks/${id}/deliveries`, headers: h.ownerAuth })).json().deliveries;

  it('signs deliveries so a Standard Webhooks receiver verifies them, and rejects tampered or replayed ones', async () => {
    const hook = await createWebhook();
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await h.app.inject({ method: 'GET', url: '/api/v1/projects/payqi/webhooks', headers: h.ownerAuth });
    expect(listed.body).not.toContain(hook.secret);
    const stored = await h.database.db.selectFrom('webhook').select('secret_sealed').where('id', '=', hook.id).executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(hook.secret.slice(6));

    const reportId = await submit();
    expect(await run()).toEqual({ delivered: 1, failed: 0 });
    const [got] = receiver.received;
    const verifier = new Webhook(hook.secret);
    expect(verifier.verify(got!.body, got!.headers)).toMatchObject({ type: 'report.received', data: { reportId, project: 'payqi' } });
    expect(got!.body).not.toMatch(/secret|SQLi/i);
    expect(() => verifier.verify(got!.body.replace('payqi', 'evil1'), got!.headers)).toThrow();
    expect(() => verifier.verify(got!.body, { ...got!.headers, 'webhook-id': 'another-id' })).toThrow();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 10 * 60_000);
      expect(() => verifier.verify(got!.body, got!.headers)).toThrow(/timestamp/i);
    } finally {
      vi.useRealTimers();
    }
    expect(await run()).toEqual({ delivered: 0, failed: 0 });
    await disable(hook.id);
  });

  it('retries a receiver failing 3 times with backoff, and it gets the delivery once', async () => {
    const hook = await createWebhook();
    receiver.received.length = 0;
    receiver.failNext(3);
    await submit();
    expect(await run()).toEqual({ delivered: 0, failed: 1 });
    // Not due again until the backoff has passed.
    expect(await run()).toEqual({ delivered: 0, failed: 0 });
    for (let i = 0; i < 3; i += 1) {
      h.advance(2 * HOUR);
      await run();
    }
    expect(receiver.received.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(receiver.processedIds()).toHaveLength(1);
    const [delivery] = await deliveries(hook.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, lastStatusCode: 200, responseExcerpt: 'ok', id: receiver.received[0]!.headers['webhook-id'] });
    expect(await h.database.db.selectFrom('webhook_attempt').select('status_code').where('delivery_id', '=', delivery.id).orderBy('attempted_at').execute()).toHaveLength(4);
    await disable(hook.id);
  });

  it('delivers every event exactly once per webhook across a worker dying mid-batch and a lost answer', async () => {
    const hooks = [await createWebhook(), await createWebhook()];
    receiver.received.length = 0;
    for (let i = 0; i < 3; i += 1) await submit();
    await fanOutWebhookEvents(ctx);
    await fanOutWebhookEvents(ctx); // a second fan-out run creates nothing more
    // A worker leases the batch and dies before sending or recording anything.
    expect(await leaseDueDeliveries(h.database.db, ctx.now(), new Date(ctx.now().getTime() + 5 * 60_000), 20)).toHaveLength(6);
    expect(await run()).toEqual({ delivered: 0, failed: 0 });
    // After the lease, a restarted worker; the receiver takes two in but its answer comes too late to be seen.
    h.advance(6 * 60_000);
    receiver.stallNext(2, 500);
    expect(await run({ timeoutMs: 200 })).toEqual({ delivered: 4, failed: 2 });
    h.advance(2 * HOUR);
    expect(await run()).toEqual({ delivered: 2, failed: 0 });
    expect(receiver.received).toHaveLength(8);
    expect(receiver.processedIds()).toHaveLength(6);
    for (const hook of hooks) {
      // Created after the earlier tests' events were fanned out: exactly this test's three.
      expect((await deliveries(hook.id)).map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
      await disable(hook.id);
    }
  });

  it('disables a webhook after N consecutive failures and emails the admins; redelivery resends with the same id', async () => {
    const hook = await createWebhook();
    receiver.received.length = 0;
    receiver.failNext(100);
    await submit();
    for (let i = 0; i < 3; i += 1) {
      await run({ maxConsecutiveFailures: 3 });
      h.advance(2 * HOUR);
    }
    expect(await run({ maxConsecutiveFailures: 3 })).toEqual({ delivered: 0, failed: 0 });
    const listed = (await h.app.inject({ method: 'GET', url: '/api/v1/projects/payqi/webhooks', headers: h.ownerAuth })).json().webhooks;
    expect(listed.find((w: { id: string }) => w.id === hook.id)).toMatchObject({ enabled: false, consecutiveFailures: 3 });
    const notices = (await h.emails()).filter((m) => m.subject.includes('webhook was disabled'));
    expect(notices.map((m) => m.to)).toEqual(['owner@example.org']);
    expect(notices[0]!.text).toContain(receiver.url);

    receiver.failNext(0);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/projects/payqi/webhooks/${hook.id}`, headers: h.ownerAuth, payload: { enabled: true } });
    expect(await run()).toEqual({ delivered: 1, failed: 0 });
    const [delivery] = await deliveries(hook.id);
    const again = await h.app.inject({ method: 'POST', url: `/api/v1/projects/payqi/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`, headers: h.ownerAuth });
    expect(again.statusCode).toBe(202);
    expect(await run()).toEqual({ delivered: 1, failed: 0 });
    expect(receiver.received.slice(-2).map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
  });

  it('refuses a target outside loopback at creation, with the field path', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/webhooks', headers: h.ownerAuth, payload: { url: 'http://10.0.0.1/hook', eventTypes: ['report.received'] } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'body.url' }] } });
  });
});
