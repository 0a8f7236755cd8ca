/** The outbox topics a webhook may subscribe to (issue 7). */
export const webhookEventTypes = [
  'report.received',
  'report.state_changed',
  'sla.due_soon',
  'sla.breached',
  'disclosure.agreed',
  'advisory.published',
  'advisory.updated',
  'advisory.withdrawn',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export function isWebhookEventType(topic: string): topic is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(topic);
}

/**
 * The only payload fields a receiver ever sees, by name: ids, states, dates
 * and levels. Outbox payloads carry more for other consumers (an SLA event's
 * `recipients` are team addresses), so the body is built from this allowlist,
 * never by copying the event, and report content cannot reach it.
 */
const allowedFields = ['reportId', 'humanId', 'advisoryId', 'from', 'to', 'clock', 'dueAt', 'level', 'discloseAt', 'url', 'revision'] as const;

/** A Standard Webhooks body: `type`, `timestamp` (of the event) and `data`. */
export function webhookBody(type: WebhookEventType, occurredAt: Date, project: { id: string; slug: string }, payload: Readonly<Record<string, unknown>>): string {
  const data: Record<string, unknown> = { projectId: project.id, project: project.slug };
  for (const field of allowedFields) {
    const value = payload[field];
    if (typeof value === 'string' || typeof value === 'number') data[field] = value;
  }
  return JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });
}
