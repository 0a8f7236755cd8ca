import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { EmbargoError } from '../errors.ts';
import * as foundation from './migrations/0001-foundation.ts';
import * as audit from './migrations/0002-audit.ts';
import * as accounts from './migrations/0003-accounts.ts';
import * as reports from './migrations/0004-reports.ts';
import * as triage from './migrations/0007-triage.ts';
import * as instanceKeys from './migrations/0010-instance-keys.ts';
import * as searchAndAffected from './migrations/0008-search-and-affected.ts';
import * as attachments from './migrations/0005-attachments.ts';
import * as projectKeys from './migrations/0006-project-keys.ts';
import * as advisories from './migrations/0009-advisories.ts';
import * as webhooks from './migrations/0011-webhooks.ts';
import * as subscriptions from './migrations/0012-subscriptions.ts';
import * as notifications from './migrations/0013-notifications.ts';
import * as notificationDelivery from './migrations/0014-notification-delivery.ts';
import * as rateLimits from './migrations/0015-rate-limits.ts';

// Migrations run on whatever schema the database has, so they see it untyped; any typed Kysely may be passed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Migrations are listed here rather than discovered on disk so that the set
 * is fixed at build time and the order is explicit. Never edit a migration
 * that has shipped: add a new one.
 */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-audit': audit,
  '0003-accounts': accounts,
  '0004-reports': reports,
  '0005-attachments': attachments,
  '0006-project-keys': projectKeys,
  '0007-triage': triage,
  '0008-search-and-affected': searchAndAffected,
  '0009-advisories': advisories,
  '0010-instance-keys': instanceKeys,
  '0011-webhooks': webhooks,
  '0012-subscriptions': subscriptions,
  '0013-notifications': notifications,
  '0014-notification-delivery': notificationDelivery,
  '0015-rate-limits': rateLimits,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Every migration this build knows, in order (a backup from a schema with others is refused). */
export const knownMigrationNames: readonly string[] = Object.keys(migrations).sort();

export function migrator(db: AnyDb): Migrator {
  return new Migrator({ db, provider, migrationTableName: 'schema_migration', migrationLockTableName: 'schema_migration_lock' });
}

function throwOnFailure({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new EmbargoError('internal_error', `migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, [], { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied. Safe to run concurrently (Kysely takes a lock). */
export async function migrateToLatest(db: AnyDb): Promise<string[]> {
  return throwOnFailure(await migrator(db).migrateToLatest());
}

/** True when the database has every migration this build knows. */
export async function isSchemaCurrent(db: AnyDb): Promise<boolean> {
  const list = await migrator(db).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
