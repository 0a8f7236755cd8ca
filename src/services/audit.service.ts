import { randomUUID } from 'node:crypto';
import { deriveAuditCheckpointKey, signAuditCheckpoint, verifyAuditCheckpoint, type AuditCheckpointKey } from '../crypto/audit-checkpoint-signature.ts';
import type { AuditCheckpoint } from '../domain/audit/checkpoint.ts';
import type { AuditEntryInput } from '../domain/audit/entry.ts';
import { buildAuditRecord, GENESIS_HASH, type AuditRecord } from '../domain/audit/record.ts';
import { genesis, verifyAuditChain, type AuditChainVerification } from '../domain/audit/verify-chain.ts';
import { EmbargoError } from '../errors.ts';
import type { Db, DbOrTrx } from '../storage/database.ts';
import {
  findAuditHead,
  findLatestAuditCheckpoint,
  insertAuditCheckpoint,
  insertAuditRecord,
  listAuditCheckpoints,
  listAuditEntries,
  lockAuditChain,
  type AuditEntryFilter,
} from '../storage/repositories/audit.repository.ts';

/** Rows per query when walking the log: memory stays flat however long the log is. */
const BATCH_SIZE = 1000;

/**
 * Records one audit entry. Call it with the transaction that makes the change
 * it records, so both commit or neither does. Given the database instead, it
 * opens a transaction of its own (the lock below only lasts a transaction).
 *
 * Appenders queue on a transaction-scoped advisory lock, then read the head:
 * under READ COMMITTED each statement sees what committed before it, so the
 * head read after the lock is the true head and two appenders can never
 * chain onto the same entry. (Under REPEATABLE READ, a transaction that read
 * before appending may see a stale head; the primary key on seq then refuses
 * the insert rather than fork the chain.)
 */
export async function appendAudit(db: DbOrTrx, entry: AuditEntryInput): Promise<void> {
  if (!db.isTransaction) return db.transaction().execute((trx) => appendAudit(trx, entry));
  await lockAuditChain(db);
  const head = await findAuditHead(db);
  const record = buildAuditRecord(entry, { seq: (head?.seq ?? 0) + 1, id: randomUUID(), prevHash: head?.hash ?? GENESIS_HASH });
  await insertAuditRecord(db, record);
}

/** Yields rows page by page, each page starting after the last seq of the one before. */
async function* pagedBySeq<T extends { seq: number }>(afterSeq: number, fetchPage: (afterSeq: number) => Promise<T[]>): AsyncGenerator<T> {
  for (let after = afterSeq; ; ) {
    const page = await fetchPage(after);
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < BATCH_SIZE) return;
    after = last.seq;
  }
}

function entriesAfter(db: Db, afterSeq: number): AsyncGenerator<AuditRecord> {
  return pagedBySeq(afterSeq, (after) => listAuditEntries(db, { afterSeq: after, limit: BATCH_SIZE }));
}

/**
 * Walks the whole chain and every checkpoint and reports the first break.
 * Reads page by page without a long transaction, so the server keeps
 * appending meanwhile; checkpoints are taken up to the latest one that
 * existed at the start, so one made during the walk cannot look like a
 * truncation.
 */
export async function verifyAudit(db: Db, options: { serverSecret: string }): Promise<AuditChainVerification> {
  const key = deriveAuditCheckpointKey(options.serverSecret);
  const throughSeq = (await findLatestAuditCheckpoint(db))?.seq ?? 0;
  const checkpoints = pagedBySeq(0, (after) => listAuditCheckpoints(db, { afterSeq: after, throughSeq, limit: BATCH_SIZE }));
  return verifyAuditChain(entriesAfter(db, 0), { checkpoints, signatureValid: (checkpoint) => verifyAuditCheckpoint(key, checkpoint) });
}

export interface AuditCheckpointView extends AuditCheckpoint {
  /** Raw Ed25519 public key (hex) that verifies `signature`, for whoever receives the checkpoint. */
  publicKey: string;
}

/** The latest checkpoint is where the next one continues from: it must be genuine and still match its entry. */
async function assertCheckpointHolds(db: Db, key: AuditCheckpointKey, checkpoint: AuditCheckpoint): Promise<void> {
  const refuse = (problem: string) =>
    new EmbargoError('internal_error', `audit checkpoint ${checkpoint.seq} ${problem}; refusing to checkpoint, run \`embargo audit verify\``);
  if (!verifyAuditCheckpoint(key, checkpoint)) throw refuse('has an invalid signature');
  const [entry] = await listAuditEntries(db, { afterSeq: checkpoint.seq - 1, limit: 1 });
  if (entry?.seq !== checkpoint.seq || entry.hash !== checkpoint.hash) throw refuse('no longer matches its entry');
}

/**
 * Signs the current head of the log; for the server to call periodically
 * (and for `embargo audit checkpoint`). Returns undefined when there is
 * nothing new to sign. Before signing, the entries since the previous
 * checkpoint are verified against it, so a checkpoint never vouches for a
 * chain that was already broken.
 */
export async function checkpointAudit(db: Db, options: { serverSecret: string; now: Date }): Promise<AuditCheckpointView | undefined> {
  const key = deriveAuditCheckpointKey(options.serverSecret);
  const previous = await findLatestAuditCheckpoint(db);
  if (previous) await assertCheckpointHolds(db, key, previous);
  const start = previous ?? genesis;
  const segment = await verifyAuditChain(entriesAfter(db, start.seq), undefined, start);
  if (!segment.ok) throw new EmbargoError('internal_error', `audit log is broken at seq ${segment.firstBrokenSeq}; refusing to checkpoint it: ${segment.message}`);
  if (segment.lastSeq === start.seq) return undefined;

  const claim = { seq: segment.lastSeq, hash: segment.lastHash, at: options.now };
  const checkpoint: AuditCheckpoint = { ...claim, signature: signAuditCheckpoint(key, claim), keyId: key.keyId };
  await insertAuditCheckpoint(db, checkpoint);
  return { ...checkpoint, publicKey: key.publicKeyHex };
}

/**
 * Every entry with since <= at < until, in chain order, as plain JSON
 * objects carrying seq, prev_hash and hash, so that a party outside the
 * instance can re-verify them (see hashAuditContent).
 */
export function exportAudit(db: Db, range: { since: Date; until?: Date | undefined }): AsyncGenerator<AuditRecord> {
  return pagedBySeq(0, (after) => listAuditEntries(db, { ...range, afterSeq: after, limit: BATCH_SIZE }));
}

/** A page of the log in chain order, for the audit viewer. */
export function listAudit(db: Db, filter: AuditEntryFilter): Promise<AuditRecord[]> {
  return listAuditEntries(db, filter);
}
