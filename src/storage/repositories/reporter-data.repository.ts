import type { DbOrTrx } from '../database.ts';
import type { OutboxEvent } from '../schema-accounts.ts';

/** Queries behind a reporter's data rights (services/reports/data-rights*.ts): what is held, and its erasure. */

export async function listReporterTokenHistory(db: DbOrTrx, reportId: string) {
  return db.selectFrom('reporter_token').select(['created_at', 'revoked_at', 'revoked_reason']).where('report_id', '=', reportId).orderBy('created_at').execute();
}

export async function countReplyAddresses(db: DbOrTrx, reportId: string): Promise<number> {
  const row = await db.selectFrom('report_reply_address').select((eb) => eb.fn.countAll<string>().as('n')).where('report_id', '=', reportId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteReplyAddresses(db: DbOrTrx, reportId: string): Promise<number> {
  const result = await db.deleteFrom('report_reply_address').where('report_id', '=', reportId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Email events queued since a moment: the only place a reporter's address is held outside their report. */
export async function listEmailEventsSince(db: DbOrTrx, topic: string, since: Date): Promise<OutboxEvent[]> {
  return db.selectFrom('outbox_event').selectAll().where('topic', '=', topic).where('created_at', '>=', since).orderBy('created_at').execute();
}

/** Replaces a sealed payload; `park` sets an unsent event aside so no worker sends it. */
export async function redactOutboxEvent(db: DbOrTrx, id: string, sealedPayload: string, park: { reason: string; at: Date } | undefined): Promise<void> {
  await db
    .updateTable('outbox_event')
    .set({ payload: sealedPayload, ...(park ? { parked_at: park.at, last_error: park.reason } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function listLinkedAdvisoryIds(db: DbOrTrx, reportId: string): Promise<string[]> {
  return (await db.selectFrom('advisory_report').select('advisory_id').where('report_id', '=', reportId).orderBy('advisory_id').execute()).map((row) => row.advisory_id);
}
