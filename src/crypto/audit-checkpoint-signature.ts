import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Signatures on audit checkpoints: Ed25519 with a key pair derived from the
 * server secret (HKDF-SHA256, info `embargo audit checkpoint v1`, 32-byte
 * seed), so every process of the instance derives the same key and nothing
 * new has to be stored or backed up.
 *
 * Ed25519 rather than HMAC because a checkpoint is meant to leave the
 * instance: the public key lets an auditor or an external witness check
 * exported checkpoints without holding anything that could forge one. Both
 * still fall to an attacker who has the server secret; handing checkpoints
 * to a party outside the instance is what defends against that.
 */
const HKDF_INFO = 'embargo audit checkpoint v1';
const SIGNED_MESSAGE_SCHEME = 'embargo-audit-checkpoint-v1';
// DER header of a PKCS #8 Ed25519 private key (RFC 8410); the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface AuditCheckpointKey {
  /** First 16 hex characters of SHA-256 of the raw public key: names the key without revealing anything. */
  keyId: string;
  /** Raw 32-byte public key, hex, for whoever verifies exported checkpoints. */
  publicKeyHex: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What a checkpoint signature covers. */
export interface CheckpointClaim {
  seq: number;
  hash: string;
  at: Date;
}

export function deriveAuditCheckpointKey(serverSecret: string): AuditCheckpointKey {
  const seed = Buffer.from(hkdfSync('sha256', serverSecret, Buffer.alloc(0), HKDF_INFO, 32));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  // The raw key is the last 32 bytes of its SPKI encoding.
  const rawPublicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    keyId: createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16),
    publicKeyHex: rawPublicKey.toString('hex'),
    privateKey,
    publicKey,
  };
}

/** `embargo-audit-checkpoint-v1` LF seq LF hash LF at (ISO 8601, UTC, milliseconds), as UTF-8. */
function signedMessage(claim: CheckpointClaim): Buffer {
  return Buffer.from(`${SIGNED_MESSAGE_SCHEME}\n${claim.seq}\n${claim.hash}\n${claim.at.toISOString()}`, 'utf8');
}

/** Returns the hex signature. */
export function signAuditCheckpoint(key: AuditCheckpointKey, claim: CheckpointClaim): string {
  return sign(null, signedMessage(claim), key.privateKey).toString('hex');
}

export function verifyAuditCheckpoint(key: AuditCheckpointKey, claim: CheckpointClaim & { signature: string; keyId: string }): boolean {
  // A tampered row may carry anything; only a well-formed claim reaches the signature check.
  if (claim.keyId !== key.keyId || !/^[0-9a-f]{128}$/.test(claim.signature) || Number.isNaN(claim.at.getTime())) return false;
  return verify(null, signedMessage(claim), key.publicKey, Buffer.from(claim.signature, 'hex'));
}
