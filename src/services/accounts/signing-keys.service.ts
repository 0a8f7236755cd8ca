import { generateSigningKey, signAccessToken, verifyAccessToken } from '../../crypto/access-jwt.ts';
import { openText, seal } from '../../crypto/envelope.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import { insertSigningKey, listSigningKeys, retireSigningKeys } from '../../storage/repositories/signing-key.repository.ts';
import type { ServiceContext } from '../context.ts';

const ISSUER = 'embargo';
const AUDIENCE = 'embargo-api';

const privateKeyAad = (kid: string) => ({ table: 'jwt_signing_key', column: 'private_jwk', rowId: kid });

/** Adds a new signing key and retires the old ones (they keep verifying tokens until those expire). */
export async function rotateSigningKey(db: DbOrTrx, ctx: Pick<ServiceContext, 'keyring' | 'now'>): Promise<string> {
  const key = await generateSigningKey();
  await retireSigningKeys(db, ctx.now());
  await insertSigningKey(db, { kid: key.kid, publicJwk: key.publicJwk as Record<string, unknown>, sealedPrivateJwk: seal(ctx.keyring, JSON.stringify(key.privateJwk), privateKeyAad(key.kid)) });
  return key.kid;
}

async function activeKey(ctx: ServiceContext) {
  const keys = await listSigningKeys(ctx.db);
  let active = keys.find((k) => k.retired_at === null);
  if (!active) {
    await ctx.db.transaction().execute((trx) => rotateSigningKey(trx, ctx));
    active = (await listSigningKeys(ctx.db)).find((k) => k.retired_at === null);
  }
  if (!active) throw new Error('no JWT signing key could be created');
  return active;
}

export async function issueAccessToken(ctx: ServiceContext, subject: string, sessionId: string): Promise<{ token: string; expiresIn: number }> {
  const key = await activeKey(ctx);
  const privateJwk = JSON.parse(openText(ctx.keyring, key.private_jwk, privateKeyAad(key.kid)));
  const ttlSeconds = ctx.auth.accessTokenTtlSeconds;
  const token = await signAccessToken({ key: { kid: key.kid, privateJwk }, subject, sessionId, issuer: ISSUER, audience: AUDIENCE, ttlSeconds, now: ctx.now() });
  return { token, expiresIn: ttlSeconds };
}

/** Verifies signature, algorithm, issuer, audience and expiry; revocation is the caller's job (the session row). */
export async function verifyIssuedAccessToken(ctx: ServiceContext, token: string) {
  // A retired key verifies only as long as a token it signed can still be valid.
  const oldestUseful = ctx.now().getTime() - ctx.auth.accessTokenTtlSeconds * 1000;
  const keys = (await listSigningKeys(ctx.db))
    .filter((k) => k.retired_at === null || k.retired_at.getTime() > oldestUseful)
    .map((k) => ({ kid: k.kid, publicJwk: k.public_jwk }));
  return verifyAccessToken(token, { keys, issuer: ISSUER, audience: AUDIENCE, now: ctx.now() });
}
