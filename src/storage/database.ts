import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/index.ts';
import { EmbargoError } from '../errors.ts';
import { freeSpaceGuard, guardedWrite, type FreeSpaceGuard } from './free-space-guard.ts';
import { guardedDialect } from './guarded-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
/** Repositories take either, so a service can compose them inside one transaction. */
export type DbOrTrx = Db | Transaction<Database>;

export type DatabaseTarget =
  /** `minFreeBytes`: writes are refused below this much free space (see free-space-guard.ts); unset for in-memory databases. */
  | { kind: 'pglite'; dataDir: string; minFreeBytes?: number | undefined }
  | { kind: 'postgres'; url: string; ssl: Config['database']['ssl']; sslCaFile?: string | undefined; poolSize: number };

export interface OpenDatabase {
  db: Db;
  kind: DatabaseTarget['kind'];
  /** Raw SQL on the same pool, for pg-boss: on PGlite a second pool would be a second database. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

export function databaseTargetFrom(config: Pick<Config, 'database' | 'dataDir' | 'minFreeDiskMb'>): DatabaseTarget {
  const { url, ssl, sslCaFile, poolSize } = config.database;
  if (url) return { kind: 'postgres', url, ssl, sslCaFile, poolSize };
  return { kind: 'pglite', dataDir: join(config.dataDir, 'pglite'), minFreeBytes: config.minFreeDiskMb * 1024 * 1024 };
}

async function sslOptions(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<pg.PoolConfig['ssl']> {
  if (target.ssl === 'disable') return false;
  const ca = target.sslCaFile ? await readFile(target.sslCaFile, 'utf8') : undefined;
  // 'require' encrypts but trusts any certificate, as libpq's sslmode=require does; 'verify-full' checks chain and host name.
  return target.ssl === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
}

/**
 * PGlite is a single-connection database: the node-postgres adapter exposes
 * it as a pool of one, so a transaction holds the only connection and nothing
 * else can interleave statements into it.
 */
async function openPglite({ dataDir, minFreeBytes }: Extract<DatabaseTarget, { kind: 'pglite' }>): Promise<OpenDatabase> {
  const guard: FreeSpaceGuard = minFreeBytes ? freeSpaceGuard(dataDir, minFreeBytes) : { ensureRoomToWrite: async () => undefined };
  // Opening writes too (a checkpoint, perhaps a new WAL segment): on a full disk it would hang like any other write.
  await guard.ensureRoomToWrite().catch((error: unknown) => {
    throw new EmbargoError('database_unavailable', (error as Error).message, [], { cause: error });
  });
  // pg_trgm backs the inbox title search and duplicate hints; PostgreSQL ships it in contrib.
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } }).catch((error: unknown) => {
    // PGlite's own message names no cause; an unwritable or full data directory is by far the likeliest.
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmbargoError('database_unavailable', `the embedded database in ${dataDir} could not be opened (${reason}): check that the directory is writable by this user and its disk has free space`, [], { cause: error });
  });
  const pool = new pg.Pool(createPgConfig(pglite));
  const db = new Kysely<Database>({ dialect: guardedDialect(new PostgresDialect({ pool }), guard) });
  return {
    db,
    kind: 'pglite',
    executeSql: (text, values) => guardedWrite(guard, text, () => pool.query(text, values)),
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** A request waits at most this long for a connection, then fails as `database_unavailable` instead of hanging. */
const CONNECT_TIMEOUT_MS = 5_000;

async function openPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<OpenDatabase> {
  const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize, ssl: await sslOptions(target), connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection the server drops (restart, failover, admin_shutdown) emits 'error', which would crash the
  // process without a listener. Idle ones are reported on the pool, which discards them; one checked out
  // (a transaction between two statements) only on its client: its next statement then fails, the request
  // answers database_unavailable, and the pool discards the broken client on release. Fresh ones replace both.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', executeSql: (text, values) => pool.query(text, values), close: () => db.destroy() };
}

export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  return target.kind === 'pglite' ? openPglite(target) : openPostgres(target);
}
