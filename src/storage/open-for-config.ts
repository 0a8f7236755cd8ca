import type { Config } from '../config/index.ts';
import { databaseTargetFrom, openDatabase, type OpenDatabase } from './database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * Opens the configured database for this process, holding the data-directory
 * lock when it is the embedded one, and brings the schema up to date.
 */
export async function openConfiguredDatabase(config: Config, options: { migrate: boolean } = { migrate: true }): Promise<OpenDatabase & { migrationsApplied: string[] }> {
  const target = databaseTargetFrom(config);
  const unlock = target.kind === 'pglite' ? await lockDataDir(config.dataDir) : async () => undefined;
  let database: OpenDatabase;
  try {
    database = await openDatabase(target);
  } catch (error) {
    await unlock();
    throw error;
  }
  try {
    const migrationsApplied = options.migrate ? await migrateToLatest(database.db) : [];
    return {
      ...database,
      migrationsApplied,
      async close() {
        await database.close();
        await unlock();
      },
    };
  } catch (error) {
    await database.close();
    await unlock();
    throw error;
  }
}
