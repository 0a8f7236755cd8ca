import { randomUUID } from 'node:crypto';
import { isWebhookEventType, webhookBody, webhookEventTypes } from '../../domain/webhooks/events.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import { claimDueOutboxEvents, markOutboxDelivered } from '../../storage/repositories/outbox.repository.ts';
import { findProjectById } from '../../storage/repositories/project.repository.ts';
import { insertDeliveryOnce } from '../../storage/repositories/webhook-delivery.repository.ts';
import { listSubscribedWebhooks } from '../../storage/repositories/webhook.repository.ts';
import type { OutboxEvent } from '../../storage/schema-accounts.ts';
import type { ServiceContext } from '../context.ts';
import { consumerTopics, outboxConsumers } from '../outbox-consumers.ts';
import { openEventPayload } from '../outbox.service.ts';

const BATCH = 50;
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

/**
 * Turns due outbox events of the webhook topics into one delivery per
 * subscribed webhook, and hands each event to the other consumers of its
 * topic (services/outbox-consumers.ts). Each batch is one transaction: the
 * deliveries and whatever the consumers queue exist if and only if the
 * events are marked done, and the unique (webhook, event)
 * key keeps a concurrent or repeated run from creating a second one. Only
 * webhooks subscribed when the event is fanned out receive it.
 */
export async function fanOutWebhookEvents(ctx: ServiceContext): Promise<number> {
  let created = 0;
  for (;;) {
    const batch = await ctx.db.transaction().execute(async (trx) => {
      const events = await claimDueOutboxEvents(trx, topics, ctx.now(), BATCH);
      for (const event of events) created += await fanOutEvent(trx, ctx, event);
      return events.length;
    });
    if (batch < BATCH) return created;
  }
}
