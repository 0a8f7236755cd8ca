import type { Db, DbOrTrx } from '../database.ts';
import type { WebhookDelivery } from '../schema-webhooks.ts';

/** One delivery per webhook and event, whatever the number of fan-out runs: a rerun after a crash inserts nothing. */
export async function insertDeliveryOnce(db: DbOrTrx, values: { id: string; webhookId: string; eventId: string; eventType: string; body: string; now: Date }): Promise<void> {
  await db
    .insertInto('webhook_delivery')
    .values({ id: values.id, webhook_id: values.webhookId, event_id: values.eventId, event_type: values.eventType, body: values.body, next_attempt_at: values.now, created_at: values.now })
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .execute();
}

/**
 * Leases due deliveries of enabled webhooks by pushing their next attempt
 * past the lease, in one short transaction: the worker then talks to the
 * receivers holding no transaction (on PGlite, not the only connection). A
 * worker that dies leaves its deliveries to come due again when the lease ends.
 */
export async function leaseDueDeliveries(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<WebhookDelivery[]> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('webhook_delivery')
      .selectAll('webhook_delivery')
      .innerJoin('webhook', 'webhook.id', 'webhook_delivery.webhook_id')
      .where('webhook_delivery.status', '=', 'pending')
      .where('webhook_delivery.next_attempt_at', '<=', now)
      .where('webhook.enabled', '=', true)
      .orderBy('webhook_delivery.next_attempt_at')
      .limit(limit)
      .forUpdate('webhook_delivery')
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    await trx.updateTable('webhook_delivery').set({ next_attempt_at: leaseUntil }).where('id', 'in', due.map((d) => d.id)).execute();
    return due;
  });
}

export interface AttemptOutcome {
  at: Date;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  durationMs: number;
}

/** Records an attempt and its result on the delivery; `retryAt` undefined means it succeeded. */
export async function recordAttempt(db: DbOrTrx, deliveryId: string, outcome: AttemptOutcome, retryAt: Date | undefined): Promise<void> {
  await db.insertInto('webhook_attempt').values({ delivery_id: deliveryId, attempted_at: outcome.at, status_code: outcome.statusCode, error: outcome.error, duration_ms: outcome.durationMs }).execute();
  await db
    .updateTable('webhook_delivery')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      response_excerpt: outcome.responseExcerpt,
      ...(retryAt ? { next_attempt_at: retryAt } : { status: 'delivered' as const, delivered_at: outcome.at }),
    }))
    .where('id', '=', deliveryId)
    .execute();
}

export async function listWebhookDeliveries(db: DbOrTrx, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
  return db.selectFrom('webhook_delivery').selectAll().where('webhook_id', '=', webhookId).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}

/** Makes a delivery due now again (same id, so receivers that saw it can recognise it). */
export async function requeueDelivery(db: DbOrTrx, webhookId: string, deliveryId: string, now: Date): Promise<WebhookDelivery | undefined> {
  return db
    .updateTable('webhook_delivery')
    .set({ status: 'pending', next_attempt_at: now, delivered_at: null })
    .where('id', '=', deliveryId)
    .where('webhook_id', '=', webhookId)
    .returningAll()
    .executeTakeFirst();
}
