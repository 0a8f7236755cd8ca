import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ReportMessage, ReportMessageTable } from '../schema-reports.ts';

export async function insertReportMessage(db: DbOrTrx, values: Insertable<ReportMessageTable>): Promise<ReportMessage> {
  return db.insertInto('report_message').values(values).returningAll().executeTakeFirstOrThrow();
}

/** The thread in order; `reporterView` leaves internal notes out at the query, so they never reach a reporter's response. */
export async function listReportMessages(db: DbOrTrx, reportId: string, options: { reporterView: boolean }): Promise<ReportMessage[]> {
  let query = db.selectFrom('report_message').selectAll().where('report_id', '=', reportId).orderBy('seq');
  if (options.reporterView) query = query.where('visibility', '=', 'reporter');
  return query.execute();
}
