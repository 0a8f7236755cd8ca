import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ReportEvent, ReportEventTable } from '../schema-triage.ts';

export async function insertReportEvent(db: DbOrTrx, values: Insertable<ReportEventTable>): Promise<void> {
  await db.insertInto('report_event').values(values).execute();
}

export async function listReportEvents(db: DbOrTrx, reportId: string): Promise<ReportEvent[]> {
  return db.selectFrom('report_event').selectAll().where('report_id', '=', reportId).orderBy('seq').execute();
}

/** When the team last wrote to the reporter: each such message is a status update for the update cadence. */
export async function listTeamUpdateTimes(db: DbOrTrx, reportId: string): Promise<Date[]> {
  const rows = await db
    .selectFrom('report_message')
    .select('created_at')
    .where('report_id', '=', reportId)
    .where('author_type', '=', 'team')
    .where('visibility', '=', 'reporter')
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.created_at);
}
