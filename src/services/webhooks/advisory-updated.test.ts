import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../test/support/advisories.ts';
import { testContext } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { startWebhookReceiver } from '../../../test/support/webhook-receiver.ts';
import { deliverDueWebhooks } from '../../jobs/webhook-dispatcher.ts';
import { fanOutWebhookEvents } from './fan-out.ts';

describe.each(databaseKinds)('advisory.updated webhooks on %s', (kind) => {
  let h: AdvisoryHarness;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    h = await advisoryHarness(kind);
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await h?.close();
  });

  const run = async () => {
    const ctx = testContext(h.database, h.now);
    await fanOutWebhookEvents(ctx);
    return deliverDueWebhooks(ctx, { maxConsecutiveFailures: 10 });
  };

  it('sends a signed advisory.updated for each new revision of a published advisory, and nothing for draft edits', async () => {
    const hook = (await h.call('POST', '/api/v1/projects/payqi/webhooks', { url: receiver.url, eventTypes: ['advisory.updated'] })).json<{ secret: string }>();
    const advisoryId = await h.draft('payqi', advisoryBody);
    expect((await h.call('PATCH', `/api/v1/advisories/${advisoryId}`, { summary: 'A draft edit' })).statusCode).toBe(200);
    expect((await h.call('POST', `/api/v1/advisories/${advisoryId}/publish`)).statusCode).toBe(200);
    expect(await run()).toEqual({ delivered: 0, failed: 0 });

    const revised = await h.call('PATCH', `/api/v1/advisories/${advisoryId}`, { summary: 'Also reachable without authentication', revisionSummary: 'Wider impact' });
    expect(revised.statusCode, revised.body).toBe(200);
    expect(await run()).toEqual({ delivered: 1, failed: 0 });
    const [got] = receiver.received;
    expect(new Webhook(hook.secret).verify(got!.body, got!.headers)).toEqual({
      type: 'advisory.updated',
      timestamp: expect.any(String),
      data: { projectId: expect.any(String), project: 'payqi', advisoryId, revision: 2, url: `https://embargo.test/api/v1/projects/payqi/advisories/${advisoryId}` },
    });
  });
});
