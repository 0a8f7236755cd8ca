import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { Report, ReportTable } from '../schema-reports.ts';

/** The next number in a project's yearly sequence, allocated under the row lock of the upsert. */
export async function nextReportNumber(db: DbOrTrx, projectId: string, year: number): Promise<number> {
  const row = await db
    .insertInto('report_counter')
    .values({ project_id: projectId, year, last_number: 1 })
    .onConflict((oc) => oc.columns(['project_id', 'year']).doUpdateSet((eb) => ({ last_number: eb('report_counter.last_number', '+', 1) })))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export async function insertReport(db: DbOrTrx, values: Insertable<ReportTable>): Promise<Report> {
  return db.insertInto('report').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findReportById(db: DbOrTrx, id: string): Promise<Report | undefined> {
  return db.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listProjectReports(db: DbOrTrx, projectId: string, options: { includeSpam: boolean; limit: number; before?: Date | undefined }): Promise<Report[]> {
  let query = db.selectFrom('report').selectAll().where('project_id', '=', projectId).orderBy('created_at', 'desc').orderBy('id').limit(options.limit);
  if (!options.includeSpam) query = query.where('spam_at', 'is', null);
  if (options.before) query = query.where('created_at', '<', options.before);
  return query.execute();
}

export async function updateReportCredit(db: DbOrTrx, id: string, mode: Report['credit_mode'], nameSealed: string | null, now: Date): Promise<void> {
  await db.updateTable('report').set({ credit_mode: mode, credit_name_sealed: nameSealed, updated_at: now }).where('id', '=', id).execute();
}

export async function setReportSpam(db: DbOrTrx, id: string, spamAt: Date | null, now: Date): Promise<void> {
  await db.updateTable('report').set({ spam_at: spamAt, updated_at: now }).where('id', '=', id).execute();
}

/** Locks the report for a workflow step, so two steps cannot both start from the same state. */
export async function lockReportById(db: DbOrTrx, id: string): Promise<Report | undefined> {
  return db.selectFrom('report').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateReport(db: DbOrTrx, id: string, patch: Updateable<ReportTable>): Promise<void> {
  await db.updateTable('report').set(patch).where('id', '=', id).execute();
}

export async function findReportByHumanId(db: DbOrTrx, projectId: string, humanId: string): Promise<Report | undefined> {
  return db.selectFrom('report').selectAll().where('project_id', '=', projectId).where('human_id', '=', humanId).executeTakeFirst();
}
