import { sql } from 'kysely';
import type { Db } from '../storage/database.ts';

/**
 * Runs `tamper` as an attacker with superuser access would: with the
 * append-only triggers switched off, which the application role cannot do.
 */
export async function asDatabaseSuperuser(db: Db, tamper: (db: Db) => Promise<unknown>): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
  await sql`alter table audit_checkpoint disable trigger audit_checkpoint_append_only`.execute(db);
  try {
    await tamper(db);
  } finally {
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
    await sql`alter table audit_checkpoint enable trigger audit_checkpoint_append_only`.execute(db);
  }
}

/** Empties the log and its checkpoints, so tests sharing a database each start a fresh chain. */
export async function resetAuditLog(db: Db): Promise<void> {
  await asDatabaseSuperuser(db, async () => {
    await db.deleteFrom('audit_checkpoint').execute();
    await db.deleteFrom('audit_log').execute();
  });
}
