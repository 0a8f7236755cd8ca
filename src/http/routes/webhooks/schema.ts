import { z } from 'zod';
import { webhookEventTypes } from '../../../domain/webhooks/events.ts';
import type { Webhook, WebhookDelivery } from '../../../storage/schema-webhooks.ts';
import { slugParams } from '../projects/schema.ts';

export const webhookParams = slugParams.extend({ webhookId: z.uuid() });
export const deliveryParams = webhookParams.extend({ deliveryId: z.uuid() });

const eventTypes = z.array(z.enum(webhookEventTypes)).min(1).max(webhookEventTypes.length).transform((types) => [...new Set(types)]);
const url = z.string().max(2048).describe('https:// in production; loopback http is accepted in development and test mode');

export const createBody = z.object({ url, eventTypes }).strict();
export const updateBody = z.object({ url: url.optional(), eventTypes: eventTypes.optional(), enabled: z.boolean().optional().describe('true re-enables a disabled webhook and resets its failure count') }).strict();
export const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

export const webhookView = z.object({
  id: z.uuid(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  consecutiveFailures: z.number().int(),
  disabledAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export const createdView = webhookView.extend({ secret: z.string().describe('whsec_…: shown once; verify deliveries with it using any Standard Webhooks library') });

export const deliveryView = z.object({
  id: z.uuid().describe('The webhook-id header: the same on every attempt'),
  eventId: z.uuid(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  responseExcerpt: z.string().nullable(),
  nextAttemptAt: z.iso.datetime().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export function presentWebhook(webhook: Webhook): z.infer<typeof webhookView> {
  return {
    id: webhook.id,
    url: webhook.url,
    eventTypes: webhook.event_types,
    enabled: webhook.enabled,
    consecutiveFailures: webhook.consecutive_failures,
    disabledAt: webhook.disabled_at?.toISOString() ?? null,
    createdAt: webhook.created_at.toISOString(),
  };
}

export function presentDelivery(delivery: WebhookDelivery): z.infer<typeof deliveryView> {
  return {
    id: delivery.id,
    eventId: delivery.event_id,
    eventType: delivery.event_type,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.last_status_code,
    lastError: delivery.last_error,
    responseExcerpt: delivery.response_excerpt,
    nextAttemptAt: delivery.status === 'pending' ? delivery.next_attempt_at.toISOString() : null,
    deliveredAt: delivery.delivered_at?.toISOString() ?? null,
    createdAt: delivery.created_at.toISOString(),
  };
}
