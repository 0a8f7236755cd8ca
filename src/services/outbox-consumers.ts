import type { Transaction } from 'kysely';
import type { OutboxEvent } from '../storage/schema-accounts.ts';
import type { Database } from '../storage/schema.ts';
import type { ServiceContext } from './context.ts';
import { reporterUpdateConsumer } from './notifications/reporter-updates.ts';
import { teamNotificationConsumer } from './notifications/team-router.ts';
import { advisorySubscriberConsumer } from './subscriptions/advisory-subscribers.ts';

/**
 * Something that acts on outbox events besides webhooks. Consumers run in the
 * webhook fan-out's transaction (services/webhooks/fan-out.ts), which marks
 * each event delivered: whatever a consumer writes (queued mail) commits
 * together with that mark, so every event is consumed by every consumer
 * exactly once, and a consumer that throws leaves the whole batch for a retry.
 */
export interface OutboxConsumer {
  topics: readonly string[];
  consume(trx: Transaction<Database>, ctx: ServiceContext, event: OutboxEvent, payload: Readonly<Record<string, unknown>>): Promise<void>;
}

export const outboxConsumers: readonly OutboxConsumer[] = [advisorySubscriberConsumer, teamNotificationConsumer, reporterUpdateConsumer];

/** Every topic some consumer acts on. */
export const consumerTopics: readonly string[] = [...new Set(outboxConsumers.flatMap((c) => c.topics))];
