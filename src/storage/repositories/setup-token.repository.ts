import type { DbOrTrx } from '../database.ts';

export async function insertSetupToken(db: DbOrTrx, values: { tokenHash: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('setup_token').values({ token_hash: values.tokenHash, expires_at: values.expiresAt }).execute();
}

/** Older links stop working once a new one is printed, so only the latest printed URL is live. */
export async function expireUnusedSetupTokens(db: DbOrTrx, now: Date): Promise<void> {
  await db.updateTable('setup_token').set({ expires_at: now }).where('used_at', 'is', null).where('expires_at', '>', now).execute();
}

/** Locks the row so two concurrent setup requests cannot both use one token. */
export async function lockLiveSetupToken(db: DbOrTrx, tokenHash: string, now: Date) {
  return db
    .selectFrom('setup_token')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
}

export async function markSetupTokenUsed(db: DbOrTrx, id: string, now: Date): Promise<void> {
  await db.updateTable('setup_token').set({ used_at: now }).where('id', '=', id).execute();
}
