import { base64url, calculateJwkThumbprint, importJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AccessTokenError,
  generateSigningKey,
  signAccessToken,
  verifyAccessToken,
  type AccessTokenErrorReason,
  type SigningKey,
} from './access-jwt.ts';

const issuer = 'https://embargo.example.org';
const audience = 'https://embargo.example.org/api';
const now = new Date('2026-11-23T12:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

let key: SigningKey;
let otherKey: SigningKey;

beforeAll(async () => {
  key = await generateSigningKey();
  otherKey = await generateSigningKey();
});

function sign(overrides: Partial<Parameters<typeof signAccessToken>[0]> = {}) {
  return signAccessToken({ key, subject: 'user-1', sessionId: 'session-1', issuer, audience, ttlSeconds: 300, now, ...overrides });
}

function verify(token: string, overrides: Partial<Parameters<typeof verifyAccessToken>[1]> = {}) {
  return verifyAccessToken(token, { keys: [key], issuer, audience, now, ...overrides });
}

async function reasonOf(promise: Promise<unknown>): Promise<AccessTokenErrorReason | 'no error'> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(AccessTokenError);
    return (error as AccessTokenError).reason;
  }
}

/** A compact JWS with an arbitrary header and a valid-looking payload. */
function forge(header: Record<string, unknown>, signature = ''): string {
  const payload = { sub: 'user-1', sid: 'session-1', iss: issuer, aud: audience, iat: seconds(now), exp: seconds(now) + 300 };
  return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.${signature}`;
}

describe('generateSigningKey', () => {
  it('makes an Ed25519 pair whose kid is the RFC 7638 thumbprint', async () => {
    expect(key.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: key.kid, alg: 'EdDSA' });
    expect(key.publicJwk.d).toBeUndefined();
    expect(key.privateJwk.d).toEqual(expect.any(String));
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: key.publicJwk.x! }, 'sha256'));
    expect(otherKey.kid).not.toBe(key.kid);
  });
});

describe('signAccessToken and verifyAccessToken', () => {
  it('round-trips subject, session and expiry, with kid and typ in the header', async () => {
    const token = await sign();
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
    expect(header).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' });
    expect(await verify(token)).toEqual({ subject: 'user-1', sessionId: 'session-1', expiresAt: new Date(now.getTime() + 300_000) });
  });

  it('picks the key by kid among several (rotation)', async () => {
    const token = await sign({ key: otherKey });
    expect((await verify(token, { keys: [key, otherKey] })).subject).toBe('user-1');
  });

  it('is valid until just before exp, expired at exp', async () => {
    const token = await sign();
    expect((await verify(token, { now: new Date(now.getTime() + 299_000) })).sessionId).toBe('session-1');
    expect(await reasonOf(verify(token, { now: new Date(now.getTime() + 300_000) }))).toBe('expired');
    expect(await reasonOf(verify(token, { now: new Date(now.getTime() + 86_400_000) }))).toBe('expired');
  });

  it('refuses an unknown or retired kid, and a missing kid', async () => {
    expect(await reasonOf(verify(await sign({ key: otherKey })))).toBe('unknown_key');
    const token = await sign();
    expect(await reasonOf(verify(token, { keys: [] }))).toBe('unknown_key');
    const noKid = await new SignJWT({ sid: 'session-1' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
      .setSubject('user-1').setIssuer(issuer).setAudience(audience).setIssuedAt(seconds(now)).setExpirationTime(seconds(now) + 300)
      .sign(await importJWK(key.privateJwk, 'EdDSA'));
    expect(await reasonOf(verify(noKid))).toBe('unknown_key');
  });

  it('refuses a bad signature: altered payload, or another key claiming a known kid', async () => {
    const [header, , signature] = (await sign()).split('.');
    const altered = base64url.encode(JSON.stringify({ sub: 'user-2', sid: 'session-1', iss: issuer, aud: audience, iat: seconds(now), exp: seconds(now) + 300 }));
    expect(await reasonOf(verify(`${header}.${altered}.${signature}`))).toBe('bad_signature');

    const impostor = await signAccessToken({ key: { kid: key.kid, privateJwk: otherKey.privateJwk }, subject: 'user-1', sessionId: 'session-1', issuer, audience, ttlSeconds: 300, now });
    expect(await reasonOf(verify(impostor))).toBe('bad_signature');
  });

  it('refuses alg "none"', async () => {
    expect(await reasonOf(verify(forge({ alg: 'none', kid: key.kid, typ: 'at+jwt' })))).toBe('algorithm_not_allowed');
  });

  it('refuses HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const payload = { sid: 'session-1' };
    for (const secret of [Buffer.from(JSON.stringify(key.publicJwk)), Buffer.from(key.publicJwk.x!, 'base64url')]) {
      const confused = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' })
        .setSubject('user-1').setIssuer(issuer).setAudience(audience).setIssuedAt(seconds(now)).setExpirationTime(seconds(now) + 300)
        .sign(new Uint8Array(secret));
      expect(await reasonOf(verify(confused))).toBe('algorithm_not_allowed');
    }
    expect(await reasonOf(verify(forge({ alg: 'Ed25519', kid: key.kid, typ: 'at+jwt' }, 'AAAA')))).toBe('algorithm_not_allowed');
  });

  it('refuses a wrong issuer, audience or type', async () => {
    expect(await reasonOf(verify(await sign({ issuer: 'https://evil.example' })))).toBe('claim_invalid');
    expect(await reasonOf(verify(await sign({ audience: 'https://other.example/api' })))).toBe('claim_invalid');
    expect(await reasonOf(verify(await sign(), { issuer: 'https://other.example' }))).toBe('claim_invalid');
    const idToken = await new SignJWT({ sid: 'session-1' })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setSubject('user-1').setIssuer(issuer).setAudience(audience).setIssuedAt(seconds(now)).setExpirationTime(seconds(now) + 300)
      .sign(await importJWK(key.privateJwk, 'EdDSA'));
    expect(await reasonOf(verify(idToken))).toBe('claim_invalid');
  });

  it('refuses a token without a session id', async () => {
    const noSid = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
      .setSubject('user-1').setIssuer(issuer).setAudience(audience).setIssuedAt(seconds(now)).setExpirationTime(seconds(now) + 300)
      .sign(await importJWK(key.privateJwk, 'EdDSA'));
    expect(await reasonOf(verify(noSid))).toBe('claim_invalid');
  });

  it('refuses garbage as malformed', async () => {
    expect(await reasonOf(verify('not-a-jwt'))).toBe('malformed');
    expect(await reasonOf(verify('a.b.c'))).toBe('malformed');
  });

  it('refuses long lifetimes and wrong key kinds at the call site', async () => {
    await expect(sign({ ttlSeconds: 3601 })).rejects.toThrow(RangeError);
    await expect(sign({ ttlSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(sign({ sessionId: '' })).rejects.toThrow(/sessionId/);
    await expect(sign({ key: { kid: key.kid, privateJwk: key.publicJwk } })).rejects.toThrow(/private part/);
    await expect(verify(await sign(), { keys: [{ kid: key.kid, publicJwk: key.privateJwk }] })).rejects.toThrow(/must not contain/);
    await expect(verify(await sign(), { keys: [{ kid: 'x', publicJwk: { kty: 'oct', k: 'AAAA' } }] })).rejects.toThrow(/Ed25519/);
  });
});
