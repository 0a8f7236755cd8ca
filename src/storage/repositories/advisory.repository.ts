import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { AdvisoryRevisionTable, AdvisoryRow, AdvisoryTable } from '../schema-advisories.ts';
import type { Report } from '../schema-reports.ts';

/** The next number for an id prefix and year, allocated under the row lock of the upsert. */
export async function nextAdvisoryNumber(db: DbOrTrx, prefix: string, year: number): Promise<number> {
  const row = await db
    .insertInto('advisory_counter')
    .values({ prefix, year, last_number: 1 })
    .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet((eb) => ({ last_number: eb('advisory_counter.last_number', '+', 1) })))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export async function insertAdvisory(db: DbOrTrx, values: Insertable<AdvisoryTable>): Promise<AdvisoryRow> {
  return db.insertInto('advisory').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findAdvisory(db: DbOrTrx, advisoryId: string): Promise<AdvisoryRow | undefined> {
  return db.selectFrom('advisory').selectAll().where('advisory_id', '=', advisoryId).executeTakeFirst();
}

/** Locks the advisory for a life-cycle step, so a step and the publication job cannot both start from the same state. */
export async function lockAdvisory(db: DbOrTrx, advisoryId: string): Promise<AdvisoryRow | undefined> {
  return db.selectFrom('advisory').selectAll().where('advisory_id', '=', advisoryId).forUpdate().executeTakeFirst();
}

export async function updateAdvisory(db: DbOrTrx, id: string, patch: Updateable<AdvisoryTable>): Promise<void> {
  await db.updateTable('advisory').set(patch).where('id', '=', id).execute();
}

export async function insertAdvisoryRevision(db: DbOrTrx, values: Insertable<AdvisoryRevisionTable>): Promise<void> {
  await db.insertInto('advisory_revision').values(values).execute();
}

export async function listAdvisoryRevisions(db: DbOrTrx, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('advisory_revision').select(['advisory_id', 'number', 'summary', 'created_at']).where('advisory_id', 'in', ids).orderBy('number').execute();
}

export async function linkAdvisoryReports(db: DbOrTrx, advisoryId: string, reportIds: readonly string[]): Promise<void> {
  if (reportIds.length === 0) return;
  await db.insertInto('advisory_report').values(reportIds.map((reportId) => ({ advisory_id: advisoryId, report_id: reportId }))).execute();
}

export async function listLinkedReports(db: DbOrTrx, advisoryId: string): Promise<Report[]> {
  return db.selectFrom('advisory_report').innerJoin('report', 'report.id', 'advisory_report.report_id').selectAll('report').where('advisory_report.advisory_id', '=', advisoryId).orderBy('report.human_id').execute();
}

/** Published and withdrawn advisories, newest first: the only ones any public read may return. */
export async function listPublicAdvisories(db: DbOrTrx, filter: { projectId?: string | undefined; limit: number }): Promise<AdvisoryRow[]> {
  let query = db.selectFrom('advisory').selectAll().where('state', 'in', ['published', 'withdrawn']).orderBy('published_at', 'desc').orderBy('advisory_id').limit(filter.limit);
  if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
  return query.execute();
}

export async function listUnpublishedAdvisories(db: DbOrTrx, projectId: string): Promise<AdvisoryRow[]> {
  return db.selectFrom('advisory').selectAll().where('project_id', '=', projectId).where('state', 'in', ['draft', 'scheduled']).orderBy('created_at', 'desc').execute();
}

/** Scheduled advisories whose time has come, oldest first. */
export async function listDueAdvisoryIds(db: DbOrTrx, now: Date): Promise<string[]> {
  const rows = await db.selectFrom('advisory').select('advisory_id').where('state', '=', 'scheduled').where('scheduled_at', '<=', now).orderBy('scheduled_at').execute();
  return rows.map((r) => r.advisory_id);
}
