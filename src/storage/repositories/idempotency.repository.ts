import type { DbOrTrx } from '../database.ts';

export async function findIdempotencyRecord(db: DbOrTrx, projectId: string, key: string) {
  return db.selectFrom('idempotency_record').selectAll().where('project_id', '=', projectId).where('key', '=', key).executeTakeFirst();
}

/**
 * Claims a key inside the submitting transaction. A concurrent submission
 * with the same key waits on the primary key until this one commits, then
 * fails with a unique violation, and reads the stored receipt instead.
 */
export async function claimIdempotencyKey(db: DbOrTrx, projectId: string, key: string, requestHash: string, createdAt: Date): Promise<void> {
  await db.insertInto('idempotency_record').values({ project_id: projectId, key, request_hash: requestHash, created_at: createdAt }).execute();
}

export async function completeIdempotencyRecord(db: DbOrTrx, projectId: string, key: string, reportId: string, responseSealed: string): Promise<void> {
  await db.updateTable('idempotency_record').set({ report_id: reportId, response_sealed: responseSealed }).where('project_id', '=', projectId).where('key', '=', key).execute();
}
