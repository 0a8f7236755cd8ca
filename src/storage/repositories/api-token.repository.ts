import type { DbOrTrx } from '../database.ts';
import type { ApiToken, User } from '../schema.ts';

export async function insertApiToken(
  db: DbOrTrx,
  values: { userId: string; name: string; tokenHash: string; expiresAt: Date | null; scopes: readonly string[]; projectId: string | null },
): Promise<ApiToken> {
  return db
    .insertInto('api_token')
    .values({
      user_id: values.userId,
      name: values.name,
      token_hash: values.tokenHash,
      expires_at: values.expiresAt,
      scopes: JSON.stringify(values.scopes),
      project_id: values.projectId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface TokenOwner {
  token: Pick<ApiToken, 'id' | 'scopes' | 'project_id'>;
  user: Pick<User, 'id' | 'email' | 'role' | 'organisation_id'>;
}

/** A token counts only while it is unrevoked, unexpired and its user is enabled. */
export async function findLiveTokenOwner(db: DbOrTrx, tokenHash: string, now: Date): Promise<TokenOwner | undefined> {
  const row = await db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select(['api_token.id as token_id', 'api_token.scopes', 'api_token.project_id', 'app_user.id', 'app_user.email', 'app_user.role', 'app_user.organisation_id'])
    .where('api_token.token_hash', '=', tokenHash)
    .where('api_token.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_token.expires_at', 'is', null), eb('api_token.expires_at', '>', now)]))
    .where('app_user.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_id, scopes, project_id, ...user } = row;
  return { token: { id: token_id, scopes, project_id }, user };
}

export async function touchApiToken(db: DbOrTrx, tokenId: string, now: Date): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}

export async function listApiTokens(db: DbOrTrx, userId: string): Promise<ApiToken[]> {
  return db.selectFrom('api_token').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
}

export async function revokeApiToken(db: DbOrTrx, userId: string, tokenId: string, now: Date): Promise<boolean> {
  const result = await db.updateTable('api_token').set({ revoked_at: now }).where('id', '=', tokenId).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function revokeUserApiTokens(db: DbOrTrx, userId: string, now: Date): Promise<void> {
  await db.updateTable('api_token').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}
