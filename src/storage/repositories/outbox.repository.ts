import type { DbOrTrx } from '../database.ts';
import type { OutboxEvent } from '../schema-accounts.ts';

export async function insertOutboxEvent(db: DbOrTrx, values: { id: string; topic: string; sealedPayload: string }): Promise<void> {
  await db.insertInto('outbox_event').values({ id: values.id, topic: values.topic, payload: values.sealedPayload }).execute();
}

/** Claims due events; SKIP LOCKED lets several workers share the outbox without sending twice. */
export async function claimDueOutboxEvents(db: DbOrTrx, topic: string, now: Date, limit: number): Promise<OutboxEvent[]> {
  return db
    .selectFrom('outbox_event')
    .selectAll()
    .where('topic', '=', topic)
    .where('delivered_at', 'is', null)
    .where('available_at', '<=', now)
    .orderBy('available_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markOutboxDelivered(db: DbOrTrx, id: string, now: Date): Promise<void> {
  await db.updateTable('outbox_event').set({ delivered_at: now, last_error: null }).where('id', '=', id).execute();
}

export async function markOutboxFailed(db: DbOrTrx, id: string, error: string, retryAt: Date): Promise<void> {
  await db
    .updateTable('outbox_event')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000), available_at: retryAt }))
    .where('id', '=', id)
    .execute();
}

export async function listOutboxEvents(db: DbOrTrx, topic: string): Promise<OutboxEvent[]> {
  return db.selectFrom('outbox_event').selectAll().where('topic', '=', topic).orderBy('created_at').execute();
}
