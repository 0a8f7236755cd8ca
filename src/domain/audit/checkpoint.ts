/**
 * A signed statement "the chain had head `hash` at `seq`", made periodically.
 * Whoever rewrites the log afterwards must either keep that hash at that seq
 * or forge the signature; truncating the log below `seq` is visible too.
 */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: Date;
  /** Hex Ed25519 signature over (seq, hash, at); see src/crypto/audit-checkpoint-signature.ts. */
  signature: string;
  keyId: string;
}
