import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../test/support/advisories.ts';
import { testContext } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { validReport } from '../../../test/support/reports.ts';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { webhookEventTypes } from '../../domain/webhooks/events.ts';
import { deliverDueWebhooks } from '../../jobs/webhook-dispatcher.ts';
import { scanSlaClocks } from '../triage/sla-scan.service.ts';
import { fanOutWebhookEvents } from './fan-out.ts';

const HOUR = 60 * 60_000;

/**
 * Every webhook event type, caused by the real action behind it, reaches a
 * receiver that verifies like a Standard Webhooks consumer, carrying ids and
 * metadata only; a webhook subscribed to fewer types gets only those; and
 * the receiver refuses what an attacker replays or alters.
 */
describe.each(databaseKinds)('webhook event types on %s', (kind) => {
  let h: AdvisoryHarness;
  let everything: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let advisoriesOnly: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const deliver = async () => {
    const ctx = testContext(h.database, h.now);
    await scanSlaClocks(ctx);
    await fanOutWebhookEvents(ctx);
    return deliverDueWebhooks(ctx, { maxConsecutiveFailures: 10 });
  };

  beforeAll(async () => {
    h = await advisoryHarness(kind);
    everything = await startWebhookReceiver();
    advisoriesOnly = await startWebhookReceiver();
    for (const [receiver, eventTypes] of [[everything, webhookEventTypes], [advisoriesOnly, ['advisory.published', 'advisory.withdrawn']]] as const) {
      const created = await h.call('POST', '/api/v1/projects/payqi/webhooks', { url: receiver.url, eventTypes });
      expect(created.statusCode, created.body).toBe(201);
      receiver.verifyWith(created.json().secret);
    }
  });
  afterAll(async () => {
    await everything?.close();
    await advisoriesOnly?.close();
    await h?.close();
  });

  it('delivers each of the eight event types from the action behind it, verified, with ids and no report content', async () => {
    const submitted = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
    const { id: reportId, followUpToken } = submitted.json();
    await deliver();
    h.advance(30 * HOUR); // the 48-hour acknowledgement comes within a day
    await deliver();
    h.advance(20 * HOUR); // and passes
    await deliver();
    for (const type of ['acknowledge', 'accept']) expect((await h.call('POST', `/api/v1/reports/${reportId}/actions`, { type })).statusCode).toBe(200);
    const discloseAt = new Date(h.now().getTime() + 30 * 24 * HOUR).toISOString();
    const proposal = await h.call('POST', `/api/v1/reports/${reportId}/disclosure/proposals`, { discloseAt, timezone: 'UTC' });
    expect(proposal.statusCode, proposal.body).toBe(201);
    const reporter = { authorization: `Bearer ${followUpToken}` };
    const agreed = await h.call('POST', `/api/v1/portal/disclosure/proposals/${proposal.json().id}/answer`, { decision: 'accept' }, reporter);
    expect(agreed.statusCode, agreed.body).toBe(200);
    const advisoryId = await h.draft('payqi', { ...advisoryBody, reportIds: [reportId] });
    expect((await h.call('POST', `/api/v1/advisories/${advisoryId}/publish`)).statusCode).toBe(200);
    expect((await h.call('PATCH', `/api/v1/advisories/${advisoryId}`, { summary: 'Wider', revisionSummary: 'Wider impact' })).statusCode).toBe(200);
    expect((await h.call('POST', `/api/v1/advisories/${advisoryId}/withdraw`, { reason: 'Not a vulnerability' })).statusCode).toBe(200);
    await deliver();

    expect(everything.received.map((r) => r.outcome).filter((o) => o !== 'processed')).toEqual([]);
    const payloads = everything.received.map((r) => r.payload!);
    expect([...new Set(payloads.map((p) => p.type))].sort()).toEqual([...webhookEventTypes].sort());
    const ofType = (type: string) => payloads.filter((p) => p.type === type).map((p) => p.data);
    const project = { projectId: expect.any(String), project: 'payqi' };
    expect(ofType('report.received')).toEqual([{ ...project, reportId, humanId: submitted.json().humanId }]);
    // Publication discloses the linked report.
    expect(ofType('report.state_changed')).toEqual([
      { ...project, reportId, from: 'received', to: 'acknowledged' },
      { ...project, reportId, from: 'acknowledged', to: 'accepted' },
      { ...project, reportId, from: 'accepted', to: 'disclosed' },
    ]);
    // 48 hours after 2026-11-23T09:00Z; the escalation recipients in the outbox payload are not the receiver's business.
    const clock = { ...project, reportId, clock: 'acknowledgement', dueAt: '2026-11-25T09:00:00.000Z' };
    expect(ofType('sla.due_soon')).toEqual([clock]);
    expect(ofType('sla.breached')).toEqual([{ ...clock, level: 1 }]);
    expect(ofType('disclosure.agreed')).toEqual([expect.objectContaining({ reportId, discloseAt })]);
    for (const type of ['advisory.published', 'advisory.updated', 'advisory.withdrawn']) expect(ofType(type)).toEqual([expect.objectContaining({ ...project, advisoryId })]);
    for (const r of everything.received) for (const secret of [validReport.title, validReport.description, validReport.contact.email]) expect(r.body).not.toContain(secret);

    expect(advisoriesOnly.received.map((r) => r.payload?.type)).toEqual(['advisory.published', 'advisory.withdrawn']);
  });

  it('refuses a tampered body, a forged signature and a stale replay, and acts once on a fresh replay', async () => {
    const original = everything.received[0]!;
    expect(await everything.replay(original)).toBe(200);
    expect(everything.received.at(-1)!.outcome).toBe('duplicate');
    expect(await everything.replay(original, { body: original.body.replace('payqi', 'leher') })).toBe(401);
    const forged = original.headers['webhook-signature']!.replace(/^v1,./, (prefix) => `${prefix.slice(0, -1)}${prefix.endsWith('A') ? 'B' : 'A'}`);
    expect(await everything.replay(original, { headers: { 'webhook-signature': forged } })).toBe(401);
    expect(await everything.replay(original, { headers: { 'webhook-id': 'msg_other' } })).toBe(401);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 10 * 60_000);
      expect(await everything.replay(original)).toBe(401);
    } finally {
      vi.useRealTimers();
    }
    expect(everything.received.slice(-4).map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(everything.received.filter((r) => r.outcome === 'processed' && r.headers['webhook-id'] === original.headers['webhook-id'])).toHaveLength(1);
  });
});
