import { calculateJwkThumbprint, errors, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import type { JWK, JWTHeaderParameters } from 'jose';

/**
 * Short-lived access tokens: JWTs signed with Ed25519 (JWS `alg: EdDSA`), naming their key in `kid`.
 *
 * Threats answered:
 * - Algorithm confusion: verification pins `algorithms: ['EdDSA']` before any key is chosen, so
 *   `alg: none` and `HS256` signed with the public key as an HMAC secret are refused
 *   (`algorithm_not_allowed`); keys are also imported as Ed25519 only.
 * - Token confusion: the header carries `typ: at+jwt` (RFC 9068) and verification requires it,
 *   so another JWT signed with the same key for another purpose is not an access token.
 * - Key rotation and compromise: `kid` is the RFC 7638 thumbprint of the public key; verification
 *   only uses keys the caller passes (the non-retired ones), never a key embedded in the token
 *   (no `jwk`/`jku`/`x5u` header is honoured).
 * - Stolen tokens: lifetime is capped (`MAX_TTL_SECONDS`); revocation is by session, which the
 *   caller checks with the returned `sessionId`, so a signed token outlives neither its expiry
 *   nor its session.
 * - Clock injection: `now` is a parameter, passed to jose as `currentDate`.
 *
 * The private JWK is a secret: store it envelope-encrypted (`jwt_signing_key.private_jwk`).
 */

const ALGORITHM = 'EdDSA';
const TOKEN_TYPE = 'at+jwt';
export const MAX_TTL_SECONDS = 3600;

export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface VerificationKey {
  kid: string;
  publicJwk: JWK;
}

export interface VerifiedAccessToken {
  subject: string;
  sessionId: string;
  expiresAt: Date;
}

export type AccessTokenErrorReason =
  | 'malformed'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'claim_invalid';

/** Every refusal from `verifyAccessToken`. The message is for logs; `reason` is what code branches on. */
export class AccessTokenError extends Error {
  readonly reason: AccessTokenErrorReason;

  constructor(reason: AccessTokenErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AccessTokenError';
    this.reason = reason;
  }
}

/** A new Ed25519 key pair as JWKs; `kid` is the RFC 7638 thumbprint (SHA-256) of the public key. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const privateJwk = await exportJWK(privateKey);
  return { kid, privateJwk: { ...privateJwk, kid, alg: ALGORITHM }, publicJwk: { ...publicJwk, kid, alg: ALGORITHM, use: 'sig' } };
}

export async function signAccessToken({
  key,
  subject,
  sessionId,
  issuer,
  audience,
  ttlSeconds,
  now,
}: {
  key: { kid: string; privateJwk: JWK };
  subject: string;
  sessionId: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now: Date;
}): Promise<string> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new RangeError(`signAccessToken: ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  for (const [name, value] of [['subject', subject], ['sessionId', sessionId], ['issuer', issuer], ['audience', audience], ['kid', key.kid]] as const) {
    if (typeof value !== 'string' || value.length === 0) throw new TypeError(`signAccessToken: ${name} must be a non-empty string`);
  }
  if (Number.isNaN(now.getTime())) throw new RangeError('signAccessToken: now is not a valid date');
  checkOkpEd25519(key.privateJwk, 'private');
  const privateKey = await importJWK({ ...key.privateJwk, alg: ALGORITHM }, ALGORITHM);
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: TOKEN_TYPE })
    .setSubject(subject)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(privateKey);
}

/**
 * Verifies signature, algorithm, key, type, issuer, audience and expiry at `now`.
 * Throws `AccessTokenError` on any failure; never returns claims it did not verify.
 */
export async function verifyAccessToken(
  token: string,
  { keys, issuer, audience, now }: { keys: ReadonlyArray<VerificationKey>; issuer: string; audience: string; now: Date },
): Promise<VerifiedAccessToken> {
  const byKid = new Map<string, JWK>();
  for (const key of keys) {
    checkOkpEd25519(key.publicJwk, 'public');
    byKid.set(key.kid, key.publicJwk);
  }
  const resolveKey = async (header: JWTHeaderParameters) => {
    const jwk = typeof header.kid === 'string' ? byKid.get(header.kid) : undefined;
    if (jwk === undefined) throw new AccessTokenError('unknown_key', 'access token is signed with an unknown or retired key');
    return importJWK({ ...jwk, alg: ALGORITHM }, ALGORITHM);
  };

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, resolveKey, {
      algorithms: [ALGORITHM],
      typ: TOKEN_TYPE,
      issuer,
      audience,
      currentDate: now,
      requiredClaims: ['exp', 'iat', 'sub', 'sid'],
    }));
  } catch (error) {
    throw toAccessTokenError(error);
  }

  const { sub, sid, exp } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || typeof sid !== 'string' || sid.length === 0 || typeof exp !== 'number') {
    throw new AccessTokenError('claim_invalid', 'access token lacks a subject, session or expiry');
  }
  return { subject: sub, sessionId: sid, expiresAt: new Date(exp * 1000) };
}

function toAccessTokenError(error: unknown): AccessTokenError {
  if (error instanceof AccessTokenError) return error;
  if (error instanceof errors.JOSEAlgNotAllowed) return new AccessTokenError('algorithm_not_allowed', 'access token algorithm is not allowed', { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AccessTokenError('bad_signature', 'access token signature is invalid', { cause: error });
  if (error instanceof errors.JWTExpired) return new AccessTokenError('expired', 'access token has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AccessTokenError('claim_invalid', `access token claim "${error.claim}" is invalid (${error.reason})`, { cause: error });
  }
  return new AccessTokenError('malformed', 'access token is malformed', { cause: error });
}

/** Only Ed25519 OKP keys, and a public key must not carry the private part (it would be published in a JWKS). */
function checkOkpEd25519(jwk: JWK, kind: 'public' | 'private'): void {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new TypeError(`access token ${kind} key must be an Ed25519 OKP JWK`);
  if (kind === 'public' && jwk.d !== undefined) throw new TypeError('access token public key must not contain the private part "d"');
  if (kind === 'private' && jwk.d === undefined) throw new TypeError('access token private key lacks its private part "d"');
}
