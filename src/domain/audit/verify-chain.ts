import type { AuditCheckpoint } from './checkpoint.ts';
import { contentOf, GENESIS_HASH, hashAuditContent, type AuditRecord } from './record.ts';

export type AuditChainBreakReason =
  | 'missing_entry'
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'checkpoint_signature_invalid'
  | 'checkpoint_hash_mismatch'
  | 'checkpoint_entry_missing';

export interface AuditChainIntact {
  ok: true;
  entries: number;
  lastSeq: number;
  lastHash: string;
  checkpointsVerified: number;
}

export interface AuditChainBroken {
  ok: false;
  firstBrokenSeq: number;
  reason: AuditChainBreakReason;
  /** For people; built from numbers and hashes only, never from entry content. */
  message: string;
  /** Entries that verified before the break. */
  entries: number;
  checkpointsVerified: number;
  /** The stored entry at firstBrokenSeq, when there is one. */
  record?: AuditRecord;
}

export type AuditChainVerification = AuditChainIntact | AuditChainBroken;

/** Where verification starts: the genesis, or a checkpoint already trusted. */
export interface ChainStart {
  seq: number;
  hash: string;
}

export const genesis: ChainStart = { seq: 0, hash: GENESIS_HASH };

/** Checkpoints in ascending seq, with the means to check their signatures. */
export interface SignedCheckpoints {
  checkpoints: AsyncIterable<AuditCheckpoint>;
  signatureValid: (checkpoint: AuditCheckpoint) => boolean;
}

/**
 * Walks entries (ascending seq) and checkpoints (ascending seq) together and
 * reports the first break. Both come in as async iterables, so the caller can
 * page through millions of rows while this holds one entry at a time.
 * Without checkpoints it checks only the chain's own links, from `start`.
 *
 * Per entry, in this order: its seq follows the previous one (a gap is a
 * deleted entry), its prev_hash is the previous entry's hash (a deleted or
 * inserted entry), its hash matches its content (an edited entry). Each
 * checkpoint is checked when the walk reaches its seq: the signature first
 * (a forged checkpoint proves nothing), then that the entry still has the
 * signed hash. A checkpoint beyond the last entry means the tail was cut off.
 */
export async function verifyAuditChain(
  entries: AsyncIterable<AuditRecord>,
  signed: SignedCheckpoints | undefined,
  start: ChainStart = genesis,
): Promise<AuditChainVerification> {
  const pendingCheckpoints = signed?.checkpoints[Symbol.asyncIterator]();
  const checkpointSignatureValid = (checkpoint: AuditCheckpoint) => signed?.signatureValid(checkpoint) === true;
  let checkpoint = await nextOf(pendingCheckpoints);
  let seq = start.seq;
  let hash = start.hash;
  let checked = 0;
  let checkpointsVerified = 0;
  const broken = (firstBrokenSeq: number, reason: AuditChainBreakReason, message: string, record?: AuditRecord): AuditChainBroken => ({
    ok: false,
    firstBrokenSeq,
    reason,
    message,
    entries: checked,
    checkpointsVerified,
    ...(record ? { record } : {}),
  });

  for await (const record of entries) {
    if (record.seq !== seq + 1) return broken(seq + 1, 'missing_entry', `entry ${seq + 1} is missing (the next entry is ${record.seq})`);
    if (record.prev_hash !== hash) return broken(record.seq, 'prev_hash_mismatch', `entry ${record.seq} does not link to entry ${seq}: an entry was removed, inserted or replaced`, record);
    if (hashAuditContent(contentOf(record)) !== record.hash) return broken(record.seq, 'hash_mismatch', `entry ${record.seq} does not match its hash: its content was altered`, record);
    seq = record.seq;
    hash = record.hash;
    checked += 1;

    while (checkpoint !== undefined && checkpoint.seq <= seq) {
      if (!checkpointSignatureValid(checkpoint)) return broken(checkpoint.seq, 'checkpoint_signature_invalid', signatureMessage(checkpoint));
      if (checkpoint.seq < seq) return broken(checkpoint.seq, 'checkpoint_entry_missing', `checkpoint ${checkpoint.seq} refers to an entry outside the chain`);
      if (checkpoint.hash !== hash) return broken(seq, 'checkpoint_hash_mismatch', `entry ${seq} no longer has the hash its checkpoint signed: the log was rewritten up to here`, record);
      checkpointsVerified += 1;
      checkpoint = await nextOf(pendingCheckpoints);
    }
  }

  if (checkpoint !== undefined) {
    if (!checkpointSignatureValid(checkpoint)) return broken(checkpoint.seq, 'checkpoint_signature_invalid', signatureMessage(checkpoint));
    return broken(checkpoint.seq, 'checkpoint_entry_missing', `checkpoint ${checkpoint.seq} refers to an entry after the last one (${seq}): the log was truncated`);
  }
  return { ok: true, entries: checked, lastSeq: seq, lastHash: hash, checkpointsVerified };
}

function signatureMessage(checkpoint: AuditCheckpoint): string {
  return `checkpoint ${checkpoint.seq} has an invalid signature: it was forged, altered, or made with another server secret`;
}

async function nextOf<T>(iterator: AsyncIterator<T> | undefined): Promise<T | undefined> {
  if (iterator === undefined) return undefined;
  const result = await iterator.next();
  return result.done ? undefined : result.value;
}
