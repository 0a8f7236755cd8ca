import type { Db, DbOrTrx } from '../database.ts';
import type { OutboxEvent } from '../schema-accounts.ts';

export async function insertOutboxEvent(db: DbOrTrx, values: { id: string; topic: string; sealedPayload: string; availableAt: Date }): Promise<void> {
  await db.insertInto('outbox_event').values({ id: values.id, topic: values.topic, payload: values.sealedPayload, available_at: values.availableAt, created_at: values.availableAt }).execute();
}

/** Claims due events; SKIP LOCKED lets several workers share the outbox without sending twice. */
export async function claimDueOutboxEvents(db: DbOrTrx, topics: string | readonly string[], now: Date, limit: number): Promise<OutboxEvent[]> {
  return db
    .selectFrom('outbox_event')
    .selectAll()
    .where('topic', 'in', [topics].flat())
    .where('delivered_at', 'is', null)
    .where('parked_at', 'is', null)
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

/** Sets an event aside for good (permanent or repeated failure): no worker claims it again; `last_error` says why. */
export async function markOutboxParked(db: DbOrTrx, id: string, error: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox_event')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000), parked_at: now }))
    .where('id', '=', id)
    .execute();
}

/** Parked events, newest first. */
export async function listParkedOutboxEvents(db: DbOrTrx, limit: number): Promise<OutboxEvent[]> {
  return db.selectFrom('outbox_event').selectAll().where('parked_at', 'is not', null).orderBy('parked_at', 'desc').limit(limit).execute();
}

export async function listOutboxEvents(db: DbOrTrx, topic: string): Promise<OutboxEvent[]> {
  return db.selectFrom('outbox_event').selectAll().where('topic', '=', topic).orderBy('created_at').execute();
}

/**
 * Leases due events to this worker by pushing their availability forward, in
 * one short statement: the worker then sends without holding a transaction
 * (or, on PGlite, the only connection) while it talks to the mail server. An
 * event whose worker dies comes due again when the lease ends.
 */
export async function leaseDueOutboxEvents(db: Db, topic: string, now: Date, leaseUntil: Date, limit: number): Promise<OutboxEvent[]> {
  return db.transaction().execute(async (trx) => {
    const due = await claimDueOutboxEvents(trx, topic, now, limit);
    if (due.length === 0) return [];
    await trx.updateTable('outbox_event').set({ available_at: leaseUntil }).where('id', 'in', due.map((e) => e.id)).execute();
    return due;
  });
}

/**
 * Renews this worker's lease on the events of a batch not sent yet, so that a
 * long batch does not outlive its lease part-way. Answers the ids still held:
 * an event missing from it had its lease run out and was taken by another
 * worker, and must not be sent here.
 */
export async function renewOutboxLeases(db: Db, ids: readonly string[], heldUntil: Date, leaseUntil: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.updateTable('outbox_event').set({ available_at: leaseUntil }).where('id', 'in', [...ids]).where('available_at', '=', heldUntil).where('delivered_at', 'is', null).returning('id').execute();
  return new Set(rows.map((r) => r.id));
}
