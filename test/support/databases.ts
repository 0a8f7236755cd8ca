import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { createDatabase } from './postgres-cluster.ts';

/** Every storage-touching suite runs on both engines Embargo supports. */
export const databaseKinds = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof databaseKinds)[number];

/**
 * A fresh, migrated database: an in-memory PGlite, or a new database on the
 * run's throwaway PostgreSQL 15 cluster. Create one per test file (PGlite
 * takes a few seconds to start) and keep tests independent by their data.
 */
export async function openTestDatabase(kind: DatabaseKind): Promise<OpenDatabase> {
  const database =
    kind === 'pglite'
      ? await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
      : await openDatabase({
          kind: 'postgres',
          url: await createDatabase(inject('postgresUrl'), `embargo_${randomBytes(6).toString('hex')}`),
          ssl: 'disable',
          poolSize: 5,
        });
  await migrateToLatest(database.db);
  return database;
}
