import type { DbOrTrx } from '../database.ts';

export async function insertReporterToken(db: DbOrTrx, reportId: string, tokenHash: string): Promise<void> {
  await db.insertInto('reporter_token').values({ report_id: reportId, token_hash: tokenHash }).execute();
}

/** A live follow-up token and the report it opens. */
export async function findLiveReporterToken(db: DbOrTrx, tokenHash: string) {
  return db
    .selectFrom('reporter_token')
    .innerJoin('report', 'report.id', 'reporter_token.report_id')
    .select(['reporter_token.id as tokenId', 'report.id as reportId', 'report.project_id as projectId'])
    .where('reporter_token.token_hash', '=', tokenHash)
    .where('reporter_token.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeReporterTokens(db: DbOrTrx, reportId: string, now: Date, reason: string): Promise<number> {
  const result = await db
    .updateTable('reporter_token')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('report_id', '=', reportId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
