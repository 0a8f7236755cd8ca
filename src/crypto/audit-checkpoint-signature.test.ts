import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveAuditCheckpointKey, signAuditCheckpoint, verifyAuditCheckpoint } from './audit-checkpoint-signature.ts';

const secret = 'k3Q9vX2mL7pR4tY8wB1nC6zF0hJ5sD2gA9eK4uM7qW3';
const claim = { seq: 42, hash: 'ab'.repeat(32), at: new Date('2026-03-01T10:00:00.123Z') };

describe('audit checkpoint signatures', () => {
  it('derives the same key from the same secret, and another key from another secret', () => {
    const key = deriveAuditCheckpointKey(secret);
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(deriveAuditCheckpointKey(secret).publicKeyHex).toBe(key.publicKeyHex);
    expect(deriveAuditCheckpointKey(`${secret}x`).keyId).not.toBe(key.keyId);
  });

  it('verifies its own signature and nothing altered', () => {
    const key = deriveAuditCheckpointKey(secret);
    const signature = signAuditCheckpoint(key, claim);
    const signed = { ...claim, signature, keyId: key.keyId };
    expect(verifyAuditCheckpoint(key, signed)).toBe(true);
    expect(verifyAuditCheckpoint(key, { ...signed, seq: 43 })).toBe(false);
    expect(verifyAuditCheckpoint(key, { ...signed, hash: 'cd'.repeat(32) })).toBe(false);
    expect(verifyAuditCheckpoint(key, { ...signed, at: new Date(claim.at.getTime() + 1) })).toBe(false);
    expect(verifyAuditCheckpoint(key, { ...signed, signature: `${signature.slice(0, -2)}00` })).toBe(false);
    expect(verifyAuditCheckpoint(key, { ...signed, signature: 'not hex' })).toBe(false);
    expect(verifyAuditCheckpoint(key, { ...signed, at: new Date(Number.NaN) })).toBe(false);
  });

  it('refuses a signature made with another server secret', () => {
    const other = deriveAuditCheckpointKey(`${secret}x`);
    const forged = { ...claim, signature: signAuditCheckpoint(other, claim) };
    const key = deriveAuditCheckpointKey(secret);
    expect(verifyAuditCheckpoint(key, { ...forged, keyId: key.keyId })).toBe(false);
    expect(verifyAuditCheckpoint(key, { ...forged, keyId: other.keyId })).toBe(false);
  });

  it('can be checked by an outsider holding only the raw public key', () => {
    const key = deriveAuditCheckpointKey(secret);
    const signature = signAuditCheckpoint(key, claim);
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKeyHex, 'hex').toString('base64url') }, format: 'jwk' });
    const message = `embargo-audit-checkpoint-v1\n42\n${claim.hash}\n2026-03-01T10:00:00.123Z`;
    expect(verify(null, Buffer.from(message), publicKey, Buffer.from(signature, 'hex'))).toBe(true);
  });
});
