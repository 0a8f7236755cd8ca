import type { DbOrTrx } from '../database.ts';

export async function insertSigningKey(db: DbOrTrx, values: { kid: string; publicJwk: Record<string, unknown>; sealedPrivateJwk: string }): Promise<void> {
  await db.insertInto('jwt_signing_key').values({ kid: values.kid, public_jwk: JSON.stringify(values.publicJwk), private_jwk: values.sealedPrivateJwk }).execute();
}

/** The newest unretired key signs; retired keys still verify until every token they signed has expired. */
export async function listSigningKeys(db: DbOrTrx) {
  return db.selectFrom('jwt_signing_key').selectAll().orderBy('created_at', 'desc').execute();
}

export async function retireSigningKeys(db: DbOrTrx, now: Date): Promise<void> {
  await db.updateTable('jwt_signing_key').set({ retired_at: now }).where('retired_at', 'is', null).execute();
}
