import { sql } from 'kysely';
import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import { knownMigrationNames } from '../../storage/migrate.ts';

/** The migrations applied to a database, in order; none when it was never migrated. */
export async function appliedMigrations(db: DbOrTrx): Promise<string[]> {
  const exists = await sql<{ found: string | null }>`select to_regclass('public.schema_migration')::text as found`.execute(db);
  if (!exists.rows[0]?.found) return [];
  const { rows } = await sql<{ name: string }>`select name from schema_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

/**
 * A backup made by a newer Embargo holds tables and columns this code does not know; loading it
 * and letting this version write to it would corrupt it. An older backup is fine: the server
 * migrates it forward at start, as it would the original database.
 */
export function refuseNewerSchema(backupMigrations: readonly string[]): void {
  const known = new Set(knownMigrationNames);
  const unknown = backupMigrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new EmbargoError('conflict', `this backup was made by a newer version of Embargo (its schema has migrations this version does not know: ${unknown.join(', ')}); restore it with that version or a later one`, [
      { path: 'migrations', message: `unknown: ${unknown.join(', ')}` },
    ]);
  }
}
