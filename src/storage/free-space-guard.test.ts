import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { DiskFullError, freeBytesAt, freeSpaceGuard, isWriteStatement } from './free-space-guard.ts';
import { guardedDialect } from './guarded-dialect.ts';

describe('isWriteStatement', () => {
  it.each([
    'insert into t values (1)',
    '  UPDATE t set a = 1',
    'delete from t',
    'with next as (select id from job limit 1) update job set state = 1 from next',
    'WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved',
    'create table t (a int)',
    'alter table t add column b int',
    'truncate t',
  ])('%s writes', (statement) => expect(isWriteStatement(statement)).toBe(true));

  it.each(['select * from t', 'select * from t for update skip locked', 'with x as (select 1) select * from x', 'begin', 'commit', 'rollback', 'savepoint a', 'show server_version', ''])(
    '%s does not',
    (statement) => expect(isWriteStatement(statement)).toBe(false),
  );
});

describe('free space guard', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embargo-guard-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('measures the nearest existing directory when the data directory is not created yet', async () => {
    expect(await freeBytesAt(join(dir, 'not', 'yet'))).toBe(await freeBytesAt(dir));
    expect(await freeBytesAt(dir)).toBeGreaterThan(0);
  });

  it('refuses below the floor with SQLSTATE 53100 and a message naming the directory and the setting', async () => {
    const free = await freeBytesAt(dir);
    await expect(freeSpaceGuard(dir, free / 2).ensureRoomToWrite()).resolves.toBeUndefined();
    const refused = await freeSpaceGuard(dir, free * 2).ensureRoomToWrite().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiskFullError);
    expect(refused).toMatchObject({ code: '53100', message: expect.stringMatching(new RegExp(`MiB free for the embedded database in ${dir}.*EMBARGO_MIN_FREE_DISK_MB`)) });
  });

  it('keeps the embedded database from opening at all below the floor, since opening writes too', async () => {
    const opened = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'pglite'), minFreeBytes: Number.MAX_SAFE_INTEGER }).catch((error: unknown) => error);
    expect(opened).toMatchObject({ code: 'database_unavailable', message: expect.stringMatching(/it needs at least \d+ MiB free to write safely/) });
  });
});

describe('guarded dialect', () => {
  let pglite: PGlite;
  let pool: pg.Pool;
  let db: Kysely<{ note: { id: number; body: string } }>;
  let full = false;
  const guard = {
    async ensureRoomToWrite() {
      if (full) throw new DiskFullError('full');
    },
  };
  beforeAll(async () => {
    pglite = await PGlite.create('memory://');
    pool = new pg.Pool(createPgConfig(pglite));
    db = new Kysely({ dialect: guardedDialect(new PostgresDialect({ pool }), guard) });
    await sql`create table note (id int primary key, body text not null)`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
    await pglite.close();
  });

  it('refuses builder and raw writes while full, keeps reads, and rolls back a transaction whose write was refused', async () => {
    await db.insertInto('note').values({ id: 1, body: 'kept' }).execute();
    full = true;
    await expect(db.insertInto('note').values({ id: 2, body: 'refused' }).execute()).rejects.toBeInstanceOf(DiskFullError);
    await expect(sql`update note set body = 'changed'`.execute(db)).rejects.toBeInstanceOf(DiskFullError);
    const inTransaction = db.transaction().execute(async (trx) => {
      expect(await trx.selectFrom('note').selectAll().forUpdate().execute()).toHaveLength(1);
      await trx.deleteFrom('note').execute();
    });
    await expect(inTransaction).rejects.toBeInstanceOf(DiskFullError);
    expect(await db.selectFrom('note').selectAll().execute()).toEqual([{ id: 1, body: 'kept' }]);

    full = false;
    await db.insertInto('note').values({ id: 2, body: 'now there is room' }).execute();
    expect(await db.selectFrom('note').select('id').orderBy('id').execute()).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
