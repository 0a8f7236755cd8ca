import type { DbOrTrx } from '../database.ts';

export async function insertReplyAddress(db: DbOrTrx, reportId: string, tokenHash: string, now: Date): Promise<void> {
  await db.insertInto('report_reply_address').values({ report_id: reportId, token_hash: tokenHash, created_at: now }).execute();
}

/** The report a reply token posts into, with its project's slug (a reply address names both). */
export async function findReplyAddress(db: DbOrTrx, tokenHash: string) {
  return db
    .selectFrom('report_reply_address')
    .innerJoin('report', 'report.id', 'report_reply_address.report_id')
    .innerJoin('project', 'project.id', 'report.project_id')
    .select(['report_reply_address.id as replyAddressId', 'report.id as reportId', 'report.project_id as projectId', 'project.slug as slug'])
    .where('report_reply_address.token_hash', '=', tokenHash)
    .executeTakeFirst();
}
