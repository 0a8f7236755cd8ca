import { randomUUID } from 'node:crypto';
import { retryDelayMs } from '../../domain/notifications/retry-delay.ts';
import { isWebhookEventType, webhookBody, webhookEventTypes } from '../../domain/webhooks/events.ts';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { claimDueOutboxEvents, markOutboxDelivered, markOutboxFailed, markOutboxParked } from '../../storage/repositories/outbox.repository.ts';
import { findProjectById } from '../../storage/repositories/project.repository.ts';
import { insertDeliveryOnce } from '../../storage/repositories/webhook-delivery.repository.ts';
import { listSubscribedWebhooks } from '../../storage/repositories/webhook.repository.ts';
import type { OutboxEvent } from '../../storage/schema-accounts.ts';
import { appendAudit } from '../audit.service.ts';
import { systemMeta, type ServiceContext } from '../context.ts';
import { consumerTopics, outboxConsumers } from '../outbox-consumers.ts';
import { openEventPayload } from '../outbox.service.ts';

const BATCH = 50;
/** Failed fan-outs of one event before it is parked: enough to ride out a transient fault, few enough that a broken consumer is noticed the same hour. */
export const MAX_FAN_OUT_ATTEMPTS = 5;
const topics = [...new Set<string>([...webhookEventTypes, ...consumerTopics])];

/** SLA events name only their report; everything else names its project. */
async function projectOf(trx: Transaction<Database>, payload: Record<string, unknown>) {
  let projectId = typeof payload.projectId === 'string' ? payload.projectId : undefined;
  if (projectId === undefined && typeof payload.reportId === 'string') {
    projectId = (await trx.selectFrom('report').select('project_id').where('id', '=', payload.reportId).executeTakeFirst())?.project_id;
  }
  return projectId === undefined ? undefined : findProjectById(trx, projectId);
}

async function fanOutEvent(trx: Transaction<Database>, ctx: ServiceContext, event: OutboxEvent): Promise<number> {
  const payload = openEventPayload(ctx, event);
  const project = isWebhookEventType(event.topic) ? await projectOf(trx, payload) : undefined;
  let created = 0;
  if (project && isWebhookEventType(event.topic)) {
    const body = webhookBody(event.topic, event.created_at, project, payload);
    for (const webhook of await listSubscribedWebhooks(trx, project.id, event.topic)) {
      await insertDeliveryOnce(trx, { id: randomUUID(), webhookId: webhook.id, eventId: event.id, eventType: event.topic, body, now: ctx.now() });
      created += 1;
    }
  }
  for (const consumer of outboxConsumers) {
    if (consumer.topics.includes(event.topic)) await consumer.consume(trx, ctx, event, payload);
  }
  await markOutboxDelivered(trx, event.id, ctx.now());
  return created;
}

export interface FanOutFailure {
  eventId: string;
  topic: string;
  attempts: number;
  parked: boolean;
  error: unknown;
}

export interface FanOutReport {
  /** Webhook deliveries created. */
  created: number;
  failed: FanOutFailure[];
}

/** Rolls back what a failing event wrote, records the failure on it, and after MAX_FAN_OUT_ATTEMPTS parks it with an audit entry. */
async function recordFailure(trx: Transaction<Database>, ctx: ServiceContext, event: OutboxEvent, error: unknown): Promise<FanOutFailure> {
  await sql`rollback to savepoint fan_out_event`.execute(trx);
  const attempts = event.attempts + 1;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const parked = attempts >= MAX_FAN_OUT_ATTEMPTS;
  const now = ctx.now();
  if (parked) {
    await markOutboxParked(trx, event.id, message, now);
    await appendAudit(trx, { actor: { type: 'system', id: null, label: 'outbox fan-out' }, action: 'outbox.event_parked', object: { type: 'outbox_event', id: event.id }, outcome: 'failure', ...systemMeta, details: { topic: event.topic, attempts }, at: now });
  } else {
    await markOutboxFailed(trx, event.id, message, new Date(now.getTime() + retryDelayMs(event.attempts)));
  }
  return { eventId: event.id, topic: event.topic, attempts, parked, error };
}

/**
 * Turns due outbox events of the webhook topics into one delivery per
 * subscribed webhook, and hands each event to the other consumers of its
 * topic (services/outbox-consumers.ts). Each batch is one transaction and
 * each event a savepoint in it: the deliveries and whatever the consumers
 * queue for an event exist if and only if that event is marked done, and the
 * unique (webhook, event) key keeps a concurrent or repeated run from
 * creating a second one. An event some consumer throws on is rolled back
 * alone and retried with backoff, so it never holds up the others; after
 * MAX_FAN_OUT_ATTEMPTS it is parked, audited and reported to `onFailure`
 * (the background loop logs it). Only webhooks subscribed when the event is
 * fanned out receive it.
 */
export async function fanOutWebhookEvents(ctx: ServiceContext): Promise<FanOutReport> {
  const report: FanOutReport = { created: 0, failed: [] };
  for (;;) {
    const batch = await ctx.db.transaction().execute(async (trx) => {
      const events = await claimDueOutboxEvents(trx, topics, ctx.now(), BATCH);
      for (const event of events) {
        await sql`savepoint fan_out_event`.execute(trx);
        try {
          report.created += await fanOutEvent(trx, ctx, event);
          await sql`release savepoint fan_out_event`.execute(trx);
        } catch (error) {
          report.failed.push(await recordFailure(trx, ctx, event, error));
        }
      }
      return events.length;
    });
    if (batch < BATCH) return report;
  }
}
