import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { AuditEntryInput } from '../../domain/audit/entry.ts';
import { EmbargoError } from '../../errors.ts';
import type { Db } from '../../storage/database.ts';
import { appendAudit } from '../audit.service.ts';
import { appliedMigrations } from './schema-version.ts';

/**
 * The embedded database is backed up with PGlite's own `dumpDataDir()` (a gzip tarball of its
 * Postgres data directory) and restored with its `loadDataDir` option: a physical copy that only
 * PGlite itself can read, and only a PGlite of the same Postgres major version.
 */
async function withPglite<T>(dataDir: string, options: { loadDataDir?: Blob }, body: (pglite: PGlite, db: Db) => Promise<T>): Promise<T> {
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm }, ...options });
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool(createPgConfig(pglite)) }) });
  try {
    return await body(pglite, db);
  } finally {
    await db.destroy();
    await pglite.close();
  }
}

async function serverVersion(pglite: PGlite): Promise<string> {
  const { rows } = await pglite.query<{ server_version: string }>('show server_version');
  return `PGlite (PostgreSQL ${rows[0]!.server_version})`;
}

/** Records the backup in the audit log first, so the copy carries its own creation and the chain stays whole. */
export async function dumpPglite(dataDir: string, audit: AuditEntryInput): Promise<{ dump: Buffer; migrations: string[]; tool: string }> {
  return withPglite(dataDir, {}, async (pglite, db) => {
    await appendAudit(db, audit);
    const migrations = await appliedMigrations(db);
    const tool = await serverVersion(pglite);
    const tarball = await pglite.dumpDataDir('gzip');
    return { dump: Buffer.from(await tarball.arrayBuffer()), migrations, tool };
  });
}

/** Loads a dump into a new (empty) directory, checks it holds the schema the manifest names, and records the restore there. */
export async function loadPglite(dataDir: string, dump: Buffer, expectedMigrations: readonly string[], audit: AuditEntryInput): Promise<void> {
  let loaded: string[];
  try {
    loaded = await withPglite(dataDir, { loadDataDir: new Blob([dump]) }, async (_pglite, db) => {
      const migrations = await appliedMigrations(db);
      if (migrations.join('\n') === expectedMigrations.join('\n')) await appendAudit(db, audit);
      return migrations;
    });
  } catch (error) {
    throw new EmbargoError('conflict', `this PGlite cannot load the backup's data directory (was it made by another PGlite release?): ${error instanceof Error ? error.message : String(error)}`, [], { cause: error });
  }
  if (loaded.join('\n') !== expectedMigrations.join('\n')) throw new EmbargoError('validation_failed', "the backup's content is damaged: the restored schema is not the one its manifest names");
}
