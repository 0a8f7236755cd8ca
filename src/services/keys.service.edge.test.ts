import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../test/support/databases.ts';
import { keyIdOf, keyringFromSecrets, openBuffer, openText, seal, sealBuffer, type Keyring } from '../crypto/envelope.ts';
import type { OpenDatabase } from '../storage/database.ts';
import type { SealedColumn } from '../storage/sealed-columns.ts';
import { keyStatus, reencryptAll } from './keys.service.ts';

const OLD = 'edge-test-old-key-Zk3pQ8vR2mT6wY1nB5cX9hJ4g';
const NEW = 'edge-test-new-key-Hq7Lm2Xw9Ze4Rt1Yp6Ub3Nc8V';
const FOREIGN = 'edge-test-foreign-key-Tr5Ny8Bq1Wm4Xe7Zk0Lp3';

/** A bytea column like report_attachment.content_sealed, in a table of the test's own. */
const blobs: SealedColumn = { table: 'rotation_blob_test', column: 'content', key: ['id'], rowId: (key) => key.id!, encoding: 'binary', rewriteBatchSize: 1 };
const place = (id: string) => ({ table: blobs.table, column: blobs.column, rowId: id });
/** A text column under a two-column primary key, like idempotency_record.response_sealed. */
const pairs: SealedColumn = { table: 'rotation_pair_test', column: 'value', key: ['owner_id', 'name'], rowId: (key) => `${key.owner_id}:${key.name}`, encoding: 'text' };

describe.each(databaseKinds)('re-encryption edge cases (binary, unreadable, composite keys) on %s', (kind) => {
  let database: OpenDatabase;
  const old = keyringFromSecrets([{ secret: OLD }]);
  const rotated = keyringFromSecrets([{ secret: NEW }, { secret: OLD }]);
  const ctx = (keyring: Keyring) => ({ db: database.db, keyring, now: () => new Date() });
  const content = (id: string) => Buffer.from(`file ${id} `.repeat(500));
  const good: string[] = [randomUUID(), randomUUID(), randomUUID()];
  const malformed = randomUUID();
  const foreign = randomUUID();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await sql`create table rotation_blob_test (id uuid primary key, content bytea)`.execute(database.db);
    const insert = (id: string, value: Buffer | null) => sql`insert into rotation_blob_test (id, content) values (${id}, ${value})`.execute(database.db);
    for (const id of good) await insert(id, sealBuffer(old, content(id), place(id)));
    await insert(malformed, Buffer.from('not an envelope'));
    await insert(foreign, sealBuffer(keyringFromSecrets([{ secret: FOREIGN }]), content(foreign), place(foreign)));
    await insert(randomUUID(), null);
    await sql`create table rotation_pair_test (owner_id uuid, name text, value text, primary key (owner_id, name))`.execute(database.db);
    for (const owner of [randomUUID(), randomUUID()]) {
      for (const name of ['a', 'b', 'c']) await sql`insert into rotation_pair_test values (${owner}, ${name}, ${seal(old, name, { table: pairs.table, column: pairs.column, rowId: `${owner}:${name}` })})`.execute(database.db);
    }
  });
  afterAll(() => database?.close());

  const stored = async (id: string) => {
    const { rows } = await sql<{ content: Uint8Array }>`select content from rotation_blob_test where id = ${id}`.execute(database.db);
    return Buffer.from(rows[0]!.content);
  };

  it('reports values under a key missing from the keyring, and values that are not envelopes', async () => {
    const status = await keyStatus(ctx(rotated), { columns: [blobs] });
    expect(status.keys).toEqual([
      { id: rotated.active.id, active: true, inKeyring: true, values: 0 },
      { id: old.active.id, active: false, inKeyring: true, values: 3 },
      { id: keyIdOf(await stored(foreign)), active: false, inKeyring: false, values: 1 },
    ]);
    expect(status.malformed).toBe(1);
  });

  it('counts without writing in a dry run', async () => {
    const before = await stored(good[0]!);
    const result = await reencryptAll(ctx(rotated), { columns: [blobs], dryRun: true });
    expect(result.columns).toEqual([{ table: blobs.table, column: blobs.column, current: 0, reencrypted: 3, changed: 0, unreadable: 2 }]);
    expect(await stored(good[0]!)).toEqual(before);
  });

  it('rewrites binary envelopes (in chunks of rewriteBatchSize) and leaves unreadable ones untouched', async () => {
    const untouched = [await stored(malformed), await stored(foreign)];
    const batches: number[] = [];
    const result = await reencryptAll(ctx(rotated), { columns: [blobs], batchSize: 2, onBatch: (progress) => batches.push(progress.reencrypted) });
    expect(result).toMatchObject({ complete: true, columns: [{ current: 0, reencrypted: 3, changed: 0, unreadable: 2 }] });
    expect(batches).toHaveLength(3);
    const newOnly = keyringFromSecrets([{ secret: NEW }]);
    for (const id of good) expect(openBuffer(newOnly, await stored(id), place(id))).toEqual(content(id));
    expect([await stored(malformed), await stored(foreign)]).toEqual(untouched);

    const audit = await database.db.selectFrom('audit_log').select(['outcome', 'details']).where('action', '=', 'keys.reencrypted').execute();
    expect(audit).toEqual([{ outcome: 'failure', details: expect.objectContaining({ complete: true, reencrypted: 3, unreadable: 2 }) }]);
  });

  it('walks a two-column primary key in batches', async () => {
    const result = await reencryptAll(ctx(rotated), { columns: [pairs], batchSize: 2 });
    expect(result.columns).toEqual([{ table: pairs.table, column: pairs.column, current: 0, reencrypted: 6, changed: 0, unreadable: 0 }]);
    const { rows } = await sql<{ owner_id: string; name: string; value: string }>`select owner_id, name, value from rotation_pair_test`.execute(database.db);
    const newOnly = keyringFromSecrets([{ secret: NEW }]);
    for (const row of rows) expect(openText(newOnly, row.value, { table: pairs.table, column: pairs.column, rowId: `${row.owner_id}:${row.name}` })).toBe(row.name);
  });
});
