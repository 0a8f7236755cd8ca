import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { AuthSession, AuthSessionTable } from '../schema-accounts.ts';

export async function insertSession(db: DbOrTrx, values: Insertable<AuthSessionTable>): Promise<AuthSession> {
  return db.insertInto('auth_session').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findSessionByTokenHash(db: DbOrTrx, tokenHash: string): Promise<AuthSession | undefined> {
  return db.selectFrom('auth_session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findSessionById(db: DbOrTrx, id: string): Promise<AuthSession | undefined> {
  return db.selectFrom('auth_session').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: DbOrTrx, id: string, now: Date, idleExpiresAt: Date): Promise<void> {
  await db.updateTable('auth_session').set({ last_seen_at: now, idle_expires_at: idleExpiresAt }).where('id', '=', id).execute();
}

export async function revokeSession(db: DbOrTrx, id: string, now: Date, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('auth_session')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends every live session of a user, optionally keeping one (the caller's own). Returns how many ended. */
export async function revokeUserSessions(db: DbOrTrx, userId: string, now: Date, reason: string, exceptSessionId?: string): Promise<number> {
  let query = db
    .updateTable('auth_session')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listLiveSessions(db: DbOrTrx, userId: string, now: Date): Promise<AuthSession[]> {
  return db
    .selectFrom('auth_session')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('idle_expires_at', '>', now)
    .where('absolute_expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}
