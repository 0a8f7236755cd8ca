import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../test/support/databases.ts';
import type { OpenDatabase } from './database.ts';
import { sealedColumns } from './sealed-columns.ts';

describe.each(databaseKinds)('the registry of sealed columns on %s', (kind) => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());

  const columnsOf = async () =>
    (
      await sql<{ table_name: string; column_name: string; data_type: string }>`
        select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema()`.execute(database.db)
    ).rows;

  it('lists every *_sealed column of the schema, so key rotation reaches it', async () => {
    const registered = new Set(sealedColumns.map((c) => `${c.table}.${c.column}`));
    const sealed = (await columnsOf()).filter((c) => c.column_name.endsWith('_sealed')).map((c) => `${c.table_name}.${c.column_name}`);
    expect(sealed.length).toBeGreaterThan(0);
    expect(sealed.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('names existing columns of the type its encoding needs, keyed by the primary key', async () => {
    const columns = await columnsOf();
    const { rows: primaryKeys } = await sql<{ table_name: string; column_name: string }>`
      select k.table_name, k.column_name from information_schema.table_constraints t
      join information_schema.key_column_usage k on k.constraint_name = t.constraint_name and k.table_schema = t.table_schema
      where t.constraint_type = 'PRIMARY KEY' and t.table_schema = current_schema()`.execute(database.db);
    for (const entry of sealedColumns) {
      const type = columns.find((c) => c.table_name === entry.table && c.column_name === entry.column)?.data_type;
      expect(type, `${entry.table}.${entry.column}`).toBe(entry.encoding === 'text' ? 'text' : 'bytea');
      const key = primaryKeys.filter((k) => k.table_name === entry.table).map((k) => k.column_name);
      expect([...entry.key].sort(), `${entry.table} primary key`).toEqual(key.sort());
    }
  });
});
