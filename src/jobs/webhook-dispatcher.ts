import { Webhook as Signer } from 'standardwebhooks';
import type { ServiceContext } from '../services/context.ts';
import { recordDeliveryOutcome } from '../services/webhooks/delivery-outcome.ts';
import { postToTarget } from '../services/webhooks/webhook-http.ts';
import { openWebhookSecret } from '../services/webhooks/webhook-secret.ts';
import { resolveWebhookTarget } from '../services/webhooks/webhook-target.ts';
import { leaseDueDeliveries, type AttemptOutcome } from '../storage/repositories/webhook-delivery.repository.ts';
import { findWebhookById } from '../storage/repositories/webhook.repository.ts';
import type { WebhookDelivery } from '../storage/schema-webhooks.ts';
import { retryDelayMs, type DeliveryReport } from './outbox-dispatcher.ts';

const BATCH = 20;
const LEASE_MS = 5 * 60_000;

export interface WebhookDeliveryOptions {
  maxConsecutiveFailures: number;
  timeoutMs?: number;
  random?: () => number;
}

async function attempt(ctx: ServiceContext, delivery: WebhookDelivery, options: WebhookDeliveryOptions): Promise<'delivered' | 'failed' | 'skipped'> {
  const webhook = await findWebhookById(ctx.db, delivery.webhook_id);
  // Disabled or deleted since the lease: the delivery waits (or went with its webhook), it did not fail.
  if (!webhook?.enabled) return 'skipped';
  const started = Date.now();
  const outcome: AttemptOutcome = { at: ctx.now(), statusCode: null, error: null, responseExcerpt: null, durationMs: 0 };
  try {
    // Checked again at every delivery: the name may resolve elsewhere now than when the webhook was saved (DNS rebinding).
    const target = await resolveWebhookTarget(webhook.url, ctx.env, { path: 'url' });
    // The receiver compares webhook-timestamp with its own clock, so it is the wall clock, not the service clock.
    const signedAt = new Date();
    const headers = {
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
      'webhook-signature': new Signer(openWebhookSecret(ctx.keyring, webhook)).sign(delivery.id, signedAt, delivery.body),
    };
    const response = await postToTarget(target, headers, delivery.body, options.timeoutMs ?? 10_000);
    outcome.statusCode = response.statusCode;
    outcome.responseExcerpt = response.excerpt;
    if (response.statusCode < 200 || response.statusCode > 299) outcome.error = `HTTP ${response.statusCode}`;
  } catch (error) {
    outcome.error = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  }
  outcome.durationMs = Date.now() - started;
  const ok = outcome.error === null;
  const retryAt = ok ? undefined : new Date(ctx.now().getTime() + retryDelayMs(delivery.attempts, options.random));
  await recordDeliveryOutcome(ctx, webhook, delivery, outcome, retryAt, options.maxConsecutiveFailures);
  return ok ? 'delivered' : 'failed';
}

/**
 * Sends the webhook deliveries that are due, signed per Standard Webhooks.
 * At least once: a crash between the receiver's answer and the record of it
 * sends that delivery again after the lease, with the same `webhook-id`,
 * which receivers deduplicate by. Failures back off exponentially with
 * jitter (1 minute doubling to an hour), and each attempt is kept.
 */
export async function deliverDueWebhooks(ctx: ServiceContext, options: WebhookDeliveryOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, failed: 0 };
  for (;;) {
    const now = ctx.now();
    const due = await leaseDueDeliveries(ctx.db, now, new Date(now.getTime() + LEASE_MS), BATCH);
    for (const delivery of due) {
      const result = await attempt(ctx, delivery, options);
      if (result !== 'skipped') report[result] += 1;
    }
    if (due.length < BATCH) return report;
  }
}
