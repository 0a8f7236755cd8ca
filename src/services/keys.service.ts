import { EnvelopeError, KEY_ID_PREFIX_BYTES, keyIdOf, keyringFromSecrets, needsReencryption, open, openBuffer, seal, sealBuffer, type Keyring } from '../crypto/envelope.ts';
import type { DbOrTrx } from '../storage/database.ts';
import { listSealedHeads, loadSealedValues, replaceSealedValue, type RowKey, type SealedRow, type SealedValue } from '../storage/repositories/sealed-value.repository.ts';
import { sealedColumns, type SealedColumn } from '../storage/sealed-columns.ts';
import { appendAudit } from './audit.service.ts';
import type { ServiceContext } from './context.ts';

/**
 * Data-at-rest key rotation: after a new key becomes the active one, every value sealed under an
 * older key is opened and sealed again under the active key, at the same place (same AAD).
 *
 * Resumable by construction: nothing records progress. Each run walks every registered column in
 * primary-key batches, reading only the head of each value to learn its key, and rewrites what is
 * not under the active key; after a crash or an interruption, the next run finds exactly the
 * values still left. Each batch is one short transaction, so the server keeps working meanwhile,
 * and each row is written only if it still holds the value that was read (compare-and-set): a
 * concurrent writer is never overwritten.
 */

const DEFAULT_BATCH_SIZE = 200;
/** Rotations are run by an operator from the `embargo` command (they need the key configuration), never over HTTP. */
const OPERATOR = { type: 'system', label: 'cli' } as const;

type KeysContext = Pick<ServiceContext, 'db' | 'keyring' | 'now'>;

/** The key id the keyring gives a configured secret (a fingerprint, not key material). */
export function encryptionKeyId(secret: string): string {
  return keyringFromSecrets([{ secret }]).active.id;
}

/** The key id of a value's head, or undefined when it is not an envelope at all. */
function keyIdOrUndefined(value: SealedValue): string | undefined {
  try {
    return keyIdOf(value);
  } catch (error) {
    if (error instanceof EnvelopeError) return undefined;
    throw error;
  }
}

/** Pages of value heads in primary-key order. */
async function* headPages(db: DbOrTrx, column: SealedColumn, batchSize: number): AsyncGenerator<SealedRow[]> {
  let after: RowKey | undefined;
  for (;;) {
    const page = await listSealedHeads(db, column, { after, limit: batchSize, headBytes: KEY_ID_PREFIX_BYTES });
    if (page.length > 0) yield page;
    if (page.length < batchSize) return;
    after = page.at(-1)!.key;
  }
}

export interface ColumnReencryption {
  table: string;
  column: string;
  /** Values already under the active key. */
  current: number;
  /** Values rewritten under the active key (in a dry run: that would be). */
  reencrypted: number;
  /** Values a concurrent writer changed or removed between read and write; left to that writer. */
  changed: number;
  /** Values that cannot be opened: malformed, tampered with, or under a key missing from the keyring. */
  unreadable: number;
}

export interface ReencryptionResult {
  activeKeyId: string;
  dryRun: boolean;
  /** False when stopped by the signal before every column was walked: run again to finish. */
  complete: boolean;
  columns: ColumnReencryption[];
}

export interface ReencryptOptions {
  /** Count what would be rewritten, write nothing. */
  dryRun?: boolean;
  batchSize?: number;
  /** Checked between batches: the batch in progress always finishes. */
  signal?: AbortSignal;
  /** Called after each batch with the counts of its column so far. */
  onBatch?: (progress: Readonly<ColumnReencryption>) => void;
  /** The registry by default. */
  columns?: readonly SealedColumn[];
}

/** Opens a value with whichever key sealed it and seals it under the active key at the same place. */
function reseal(keyring: Keyring, column: SealedColumn, row: SealedRow): SealedValue {
  const aad = { table: column.table, column: column.column, rowId: column.rowId(row.key) };
  const plaintext = typeof row.value === 'string' ? open(keyring, row.value, aad) : openBuffer(keyring, row.value, aad);
  try {
    return typeof row.value === 'string' ? seal(keyring, plaintext, aad) : sealBuffer(keyring, plaintext, aad);
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Rewrites the given rows (whole values, as read) under the active key in one transaction, each
 * only if unchanged since it was read.
 */
export async function reencryptRows(ctx: KeysContext, column: SealedColumn, rows: readonly SealedRow[]): Promise<Pick<ColumnReencryption, 'reencrypted' | 'changed' | 'unreadable'>> {
  const counts = { reencrypted: 0, changed: 0, unreadable: 0 };
  if (rows.length === 0) return counts;
  await ctx.db.transaction().execute(async (trx) => {
    for (const row of rows) {
      let next: SealedValue;
      try {
        // Sealed anew since the head was read (by a writer on the new key): nothing to do.
        if (!needsReencryption(ctx.keyring, row.value)) {
          counts.changed += 1;
          continue;
        }
        next = reseal(ctx.keyring, column, row);
      } catch (error) {
        if (!(error instanceof EnvelopeError)) throw error;
        counts.unreadable += 1;
        continue;
      }
      if (await replaceSealedValue(trx, column, row.key, row.value, next)) counts.reencrypted += 1;
      else counts.changed += 1;
    }
  });
  return counts;
}

async function reencryptColumn(ctx: KeysContext, column: SealedColumn, options: ReencryptOptions): Promise<{ counts: ColumnReencryption; stopped: boolean }> {
  const counts: ColumnReencryption = { table: column.table, column: column.column, current: 0, reencrypted: 0, changed: 0, unreadable: 0 };
  for await (const page of headPages(ctx.db, column, options.batchSize ?? DEFAULT_BATCH_SIZE)) {
    if (options.signal?.aborted) return { counts, stopped: true };
    const stale: RowKey[] = [];
    for (const row of page) {
      const keyId = keyIdOrUndefined(row.value);
      if (keyId === ctx.keyring.active.id) counts.current += 1;
      else if (keyId === undefined || !ctx.keyring.all.has(keyId)) counts.unreadable += 1;
      else stale.push(row.key);
    }
    if (options.dryRun) counts.reencrypted += stale.length;
    else {
      const chunkSize = column.rewriteBatchSize ?? stale.length;
      for (let start = 0; start < stale.length; start += chunkSize) {
        const keys = stale.slice(start, start + chunkSize);
        const rows = await loadSealedValues(ctx.db, column, keys);
        const done = await reencryptRows(ctx, column, rows);
        counts.reencrypted += done.reencrypted;
        counts.unreadable += done.unreadable;
        // Rows deleted or cleared since the head was read are changes too.
        counts.changed += done.changed + keys.length - rows.length;
      }
    }
    options.onBatch?.(counts);
  }
  return { counts, stopped: false };
}

/** Rewrites every value not under the active key (see the top of this file). Audited unless a dry run. */
export async function reencryptAll(ctx: KeysContext, options: ReencryptOptions = {}): Promise<ReencryptionResult> {
  const columns: ColumnReencryption[] = [];
  let complete = true;
  for (const column of options.columns ?? sealedColumns) {
    const { counts, stopped } = await reencryptColumn(ctx, column, options);
    columns.push(counts);
    if (stopped) {
      complete = false;
      break;
    }
  }
  const result: ReencryptionResult = { activeKeyId: ctx.keyring.active.id, dryRun: options.dryRun === true, complete, columns };
  if (!result.dryRun) {
    const total = (name: 'reencrypted' | 'changed' | 'unreadable') => columns.reduce((sum, c) => sum + c[name], 0);
    await appendAudit(ctx.db, {
      actor: OPERATOR,
      action: 'keys.reencrypted',
      outcome: complete && total('unreadable') === 0 ? 'success' : 'failure',
      details: { activeKeyId: result.activeKeyId, complete, reencrypted: total('reencrypted'), changed: total('changed'), unreadable: total('unreadable'), columns },
      at: ctx.now(),
    });
  }
  return result;
}

/** Records that a new active key was added (ids only, never key material). */
export async function recordKeyRotation(ctx: KeysContext, rotation: { activeKeyId: string; previousKeyIds: readonly string[] }): Promise<void> {
  await appendAudit(ctx.db, { actor: OPERATOR, action: 'keys.rotated', outcome: 'success', details: { activeKeyId: rotation.activeKeyId, previousKeyIds: [...rotation.previousKeyIds] }, at: ctx.now() });
}

export interface KeyStatus {
  activeKeyId: string;
  /** The keyring's keys (active first), then any key found in the data but missing from the keyring. */
  keys: Array<{ id: string; active: boolean; inKeyring: boolean; values: number }>;
  /** Values that are not envelopes at all. */
  malformed: number;
  columns: Array<{ table: string; column: string; byKey: Record<string, number>; malformed: number }>;
}

/** How many values each key protects, per column and in all; reads only the head of each value. */
export async function keyStatus(ctx: Pick<ServiceContext, 'db' | 'keyring'>, options: { columns?: readonly SealedColumn[] } = {}): Promise<KeyStatus> {
  const totals = new Map<string, number>([...ctx.keyring.all.keys()].map((id) => [id, 0]));
  const columns: KeyStatus['columns'] = [];
  for (const column of options.columns ?? sealedColumns) {
    const usage: KeyStatus['columns'][number] = { table: column.table, column: column.column, byKey: {}, malformed: 0 };
    for await (const page of headPages(ctx.db, column, DEFAULT_BATCH_SIZE)) {
      for (const row of page) {
        const keyId = keyIdOrUndefined(row.value);
        if (keyId === undefined) usage.malformed += 1;
        else {
          usage.byKey[keyId] = (usage.byKey[keyId] ?? 0) + 1;
          totals.set(keyId, (totals.get(keyId) ?? 0) + 1);
        }
      }
    }
    columns.push(usage);
  }
  const activeKeyId = ctx.keyring.active.id;
  return {
    activeKeyId,
    keys: [...totals].map(([id, values]) => ({ id, active: id === activeKeyId, inKeyring: ctx.keyring.all.has(id), values })),
    malformed: columns.reduce((sum, c) => sum + c.malformed, 0),
    columns,
  };
}
