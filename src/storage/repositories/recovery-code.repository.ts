import type { DbOrTrx } from '../database.ts';

export async function replaceRecoveryCodes(db: DbOrTrx, userId: string, codeHashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  if (codeHashes.length > 0) await db.insertInto('recovery_code').values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash }))).execute();
}

/** Consumes a recovery code: true only the first time it is used. */
export async function useRecoveryCode(db: DbOrTrx, userId: string, codeHash: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('recovery_code')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countUnusedRecoveryCodes(db: DbOrTrx, userId: string): Promise<number> {
  const rows = await db.selectFrom('recovery_code').select('id').where('user_id', '=', userId).where('used_at', 'is', null).execute();
  return rows.length;
}
