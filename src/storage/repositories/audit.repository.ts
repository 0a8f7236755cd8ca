import { sql, type Selectable } from 'kysely';
import type { AuditCheckpoint } from '../../domain/audit/checkpoint.ts';
import type { JsonObject } from '../../domain/audit/canonical-json.ts';
import type { AuditRecord } from '../../domain/audit/record.ts';
import type { DbOrTrx } from '../database.ts';
import type { AuditCheckpointTable, AuditLogTable } from '../schema.ts';

/**
 * Key of the transaction-scoped advisory lock that serialises appends: the
 * ASCII bytes of "audit" read as a number. Any other advisory lock in the
 * application must use a different key.
 */
const AUDIT_CHAIN_LOCK_KEY = 0x6175646974;

/**
 * Waits until no other transaction is appending, and holds that until this
 * transaction ends. Works on PGlite too, where it never has to wait.
 */
export async function lockAuditChain(trx: DbOrTrx): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY}::bigint)`.execute(trx);
}

export async function findAuditHead(db: DbOrTrx): Promise<{ seq: number; hash: string } | undefined> {
  const head = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return head && { seq: Number(head.seq), hash: head.hash };
}

export async function insertAuditRecord(db: DbOrTrx, record: AuditRecord): Promise<void> {
  // jsonb goes in as text: node-postgres would otherwise turn JS arrays into Postgres arrays.
  await db.insertInto('audit_log').values({ ...record, details: JSON.stringify(record.details) }).execute();
}

/**
 * `at` as the database holds it, ISO 8601 in UTC with microseconds. A JS
 * Date keeps only milliseconds, so an edit in the microseconds would
 * otherwise pass unseen. (to_char gives NULL for ±infinity.)
 */
const exactAt = sql<string | null>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('exact_at');

/**
 * The form Date.toISOString gives, which is what was hashed or signed, when
 * the stored value has whole milliseconds (everything Embargo writes does).
 * Any other value stays distinct and so fails its hash or signature check.
 */
function isoMilliseconds(exact: string | null): string {
  return exact === null ? '' : exact.replace(/(\.\d{3})000Z$/, '$1Z');
}

function toRecord({ exact_at, ...row }: Selectable<AuditLogTable> & { exact_at: string | null }): AuditRecord {
  return {
    ...row,
    seq: Number(row.seq),
    at: isoMilliseconds(exact_at),
    // jsonb holds JSON by construction; an entry whose details are not an object fails its hash check.
    details: row.details as JsonObject,
  };
}

export interface AuditEntryFilter {
  /** Inclusive. */
  since?: Date | undefined;
  /** Exclusive. */
  until?: Date | undefined;
  /** Keyset pagination: only entries after this seq. */
  afterSeq?: number | undefined;
  limit: number;
  objectType?: string | undefined;
  objectId?: string | undefined;
  actorId?: string | undefined;
}

/** Entries in chain order (ascending seq). */
export async function listAuditEntries(db: DbOrTrx, filter: AuditEntryFilter): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log').selectAll().select(exactAt).orderBy('seq').limit(filter.limit);
  if (filter.afterSeq !== undefined) query = query.where('seq', '>', String(filter.afterSeq));
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);
  if (filter.objectType !== undefined) query = query.where('object_type', '=', filter.objectType);
  if (filter.objectId !== undefined) query = query.where('object_id', '=', filter.objectId);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  return (await query.execute()).map(toRecord);
}

function toCheckpoint({ exact_at, ...row }: Selectable<AuditCheckpointTable> & { exact_at: string | null }): AuditCheckpoint {
  const at = isoMilliseconds(exact_at);
  return {
    seq: Number(row.seq),
    hash: row.hash,
    // A time with sub-millisecond digits was not signed; an invalid date makes its signature check fail.
    at: /\.\d{3}Z$/.test(at) ? new Date(at) : new Date(Number.NaN),
    signature: row.signature,
    keyId: row.key_id,
  };
}

export async function findLatestAuditCheckpoint(db: DbOrTrx): Promise<AuditCheckpoint | undefined> {
  const row = await db.selectFrom('audit_checkpoint').selectAll().select(exactAt).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row && toCheckpoint(row);
}

/** Checkpoints with afterSeq < seq <= throughSeq, ascending. */
export async function listAuditCheckpoints(db: DbOrTrx, range: { afterSeq: number; throughSeq: number; limit: number }): Promise<AuditCheckpoint[]> {
  const rows = await db
    .selectFrom('audit_checkpoint')
    .selectAll()
    .select(exactAt)
    .where('seq', '>', String(range.afterSeq))
    .where('seq', '<=', String(range.throughSeq))
    .orderBy('seq')
    .limit(range.limit)
    .execute();
  return rows.map(toCheckpoint);
}

/** Two checkpointers racing for the same head write it once. */
export async function insertAuditCheckpoint(db: DbOrTrx, checkpoint: AuditCheckpoint): Promise<void> {
  const { keyId, ...rest } = checkpoint;
  await db
    .insertInto('audit_checkpoint')
    .values({ ...rest, key_id: keyId })
    .onConflict((conflict) => conflict.column('seq').doNothing())
    .execute();
}
