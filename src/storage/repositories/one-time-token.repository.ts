import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { LoginChallengeTable, PasswordResetTable, RefreshTokenTable } from '../schema-accounts.ts';

/**
 * Single-use, expiring secrets stored as keyed hashes: refresh tokens, MFA
 * login challenges, password resets. Same life cycle, so one set of functions.
 */
type OneTimeTable = 'refresh_token' | 'login_challenge' | 'password_reset';

/** Finds the row by hash whether or not it was used (refresh-token reuse must be noticed), locking it. */
export function lockOneTimeToken(db: DbOrTrx, table: 'refresh_token', tokenHash: string): Promise<Selectable<RefreshTokenTable> | undefined>;
export function lockOneTimeToken(db: DbOrTrx, table: 'login_challenge', tokenHash: string): Promise<Selectable<LoginChallengeTable> | undefined>;
export function lockOneTimeToken(db: DbOrTrx, table: 'password_reset', tokenHash: string): Promise<Selectable<PasswordResetTable> | undefined>;
export function lockOneTimeToken(db: DbOrTrx, table: OneTimeTable, tokenHash: string): Promise<unknown> {
  return db.selectFrom(table).selectAll().where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

export async function markOneTimeTokenUsed(db: DbOrTrx, table: OneTimeTable, id: string, now: Date): Promise<void> {
  await db.updateTable(table).set({ used_at: now }).where('id', '=', id).execute();
}

export async function insertRefreshToken(db: DbOrTrx, values: { sessionId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('refresh_token').values({ session_id: values.sessionId, token_hash: values.tokenHash, expires_at: values.expiresAt }).execute();
}

export async function insertLoginChallenge(db: DbOrTrx, values: { userId: string; tokenHash: string; mode: 'browser' | 'api'; expiresAt: Date }): Promise<void> {
  await db.insertInto('login_challenge').values({ user_id: values.userId, token_hash: values.tokenHash, mode: values.mode, expires_at: values.expiresAt }).execute();
}

export async function insertPasswordReset(db: DbOrTrx, values: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
  // Only the newest reset link works.
  await db.updateTable('password_reset').set({ used_at: new Date() }).where('user_id', '=', values.userId).where('used_at', 'is', null).execute();
  await db.insertInto('password_reset').values({ user_id: values.userId, token_hash: values.tokenHash, expires_at: values.expiresAt }).execute();
}
