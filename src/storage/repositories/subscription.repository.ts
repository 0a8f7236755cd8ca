import type { DbOrTrx } from '../database.ts';
import type { AdvisorySubscription } from '../schema-subscriptions.ts';

/** The subscription of one address to one scope (a project, or the instance when `projectId` is null). */
export async function findSubscription(db: DbOrTrx, emailHash: string, projectId: string | null): Promise<AdvisorySubscription | undefined> {
  return db
    .selectFrom('advisory_subscription')
    .selectAll()
    .where('email_hash', '=', emailHash)
    .where((eb) => (projectId === null ? eb('project_id', 'is', null) : eb('project_id', '=', projectId)))
    .executeTakeFirst();
}

/** Inserts unless the address already has this scope (a concurrent request won): true when this call created it. */
export async function insertSubscription(db: DbOrTrx, row: AdvisorySubscription): Promise<boolean> {
  const result = await db.insertInto('advisory_subscription').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function markConfirmationSent(db: DbOrTrx, id: string, at: Date): Promise<void> {
  await db.updateTable('advisory_subscription').set({ confirmation_sent_at: at }).where('id', '=', id).execute();
}

/** Confirms a pending subscription; false when there is no such row (it was unsubscribed). */
/** Confirms a subscription; answers its project (null: instance-wide) and whether this call confirmed it, or undefined if it no longer exists. */
export async function confirmSubscription(db: DbOrTrx, id: string, at: Date): Promise<{ projectId: string | null; confirmedNow: boolean } | undefined> {
  const row = await db.selectFrom('advisory_subscription').select(['confirmed_at', 'project_id']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  if (row.confirmed_at === null) await db.updateTable('advisory_subscription').set({ confirmed_at: at }).where('id', '=', id).execute();
  return { projectId: row.project_id, confirmedNow: row.confirmed_at === null };
}

/** Deletes a subscription; answers its project (null: instance-wide), or undefined if there was none. */
export async function deleteSubscription(db: DbOrTrx, id: string): Promise<{ projectId: string | null } | undefined> {
  const row = await db.deleteFrom('advisory_subscription').where('id', '=', id).returning('project_id').executeTakeFirst();
  return row && { projectId: row.project_id };
}

/** Confirmed subscriptions that cover a project: its own and the instance-wide ones. */
export async function listConfirmedSubscribers(db: DbOrTrx, projectId: string): Promise<AdvisorySubscription[]> {
  return db
    .selectFrom('advisory_subscription')
    .selectAll()
    .where('confirmed_at', 'is not', null)
    .where((eb) => eb.or([eb('project_id', '=', projectId), eb('project_id', 'is', null)]))
    .orderBy('created_at')
    .execute();
}
