import type { DbOrTrx } from '../database.ts';
import type { EmailAttempt, EmailAttemptOutcome } from '../schema-notifications.ts';

export async function insertEmailAttempt(db: DbOrTrx, row: { event_id: string; attempted_at: Date; outcome: EmailAttemptOutcome; smtp_response: string | null; error: string | null; duration_ms: number }): Promise<void> {
  await db.insertInto('email_attempt').values(row).execute();
}

export async function listEmailAttempts(db: DbOrTrx, eventId: string): Promise<EmailAttempt[]> {
  return db.selectFrom('email_attempt').selectAll().where('event_id', '=', eventId).orderBy('attempted_at').orderBy('id').execute();
}
