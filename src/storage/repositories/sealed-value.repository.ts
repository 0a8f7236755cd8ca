import { sql, type RawBuilder } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { SealedColumn } from '../sealed-columns.ts';

/**
 * Generic access to the envelope columns of the registry (../sealed-columns.ts) for key
 * rotation. Table and column names come from the registry, never from input, and are quoted as
 * identifiers; values are always bound parameters.
 */

export type RowKey = Readonly<Record<string, string>>;
export type SealedValue = string | Buffer;

export interface SealedRow {
  key: RowKey;
  value: SealedValue;
}

const keyColumns = (column: SealedColumn) => sql.join(column.key.map((name) => sql.id(name)));
const keyValues = (column: SealedColumn, key: RowKey) => sql.join(column.key.map((name) => key[name]));

function rowOf(column: SealedColumn, row: Record<string, unknown>): SealedRow {
  const key = Object.fromEntries(column.key.map((name) => [name, String(row[name])]));
  const value = row.value;
  // node-postgres returns bytea as a Buffer; PGlite may hand over a plain Uint8Array.
  return { key, value: typeof value === 'string' ? value : Buffer.from(value as Uint8Array) };
}

/** The first `bytes` bytes of each value: a text envelope is base64url, 4 characters for every 3 bytes. */
function head(column: SealedColumn, bytes: number): RawBuilder<unknown> {
  const ref = sql.id(column.column);
  return column.encoding === 'text' ? sql`left(${ref}, ${Math.ceil(bytes / 3) * 4})` : sql`substring(${ref} from 1 for ${bytes})`;
}

/**
 * One page of non-null values, cut to their first `headBytes` bytes (enough to read the key id:
 * large attachments are not loaded just to learn they are current), in primary-key order after
 * `after`.
 */
export async function listSealedHeads(db: DbOrTrx, column: SealedColumn, page: { after: RowKey | undefined; limit: number; headBytes: number }): Promise<SealedRow[]> {
  const after = page.after === undefined ? sql`true` : sql`(${keyColumns(column)}) > (${keyValues(column, page.after)})`;
  const { rows } = await sql<Record<string, unknown>>`
    select ${keyColumns(column)}, ${head(column, page.headBytes)} as value
    from ${sql.table(column.table)}
    where ${sql.id(column.column)} is not null and ${after}
    order by ${keyColumns(column)}
    limit ${page.limit}`.execute(db);
  return rows.map((row) => rowOf(column, row));
}

/** The whole current values of some rows (those that need rewriting). */
export async function loadSealedValues(db: DbOrTrx, column: SealedColumn, keys: readonly RowKey[]): Promise<SealedRow[]> {
  if (keys.length === 0) return [];
  const wanted = sql.join(keys.map((key) => sql`(${keyValues(column, key)})`));
  const { rows } = await sql<Record<string, unknown>>`
    select ${keyColumns(column)}, ${sql.id(column.column)} as value
    from ${sql.table(column.table)}
    where (${keyColumns(column)}) in (${wanted}) and ${sql.id(column.column)} is not null`.execute(db);
  return rows.map((row) => rowOf(column, row));
}

/**
 * Compare-and-set: writes `next` only if the row still holds `expected`. Returns false when a
 * concurrent writer changed (or cleared) the value since it was read; that write wins.
 */
export async function replaceSealedValue(db: DbOrTrx, column: SealedColumn, key: RowKey, expected: SealedValue, next: SealedValue): Promise<boolean> {
  const matchesKey = sql.join(
    column.key.map((name) => sql`${sql.id(name)} = ${key[name]}`),
    sql` and `,
  );
  const result = await sql`
    update ${sql.table(column.table)} set ${sql.id(column.column)} = ${next}
    where ${matchesKey} and ${sql.id(column.column)} = ${expected}`.execute(db);
  return result.numAffectedRows === 1n;
}
