import { sql, type Insertable, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { Database } from '../schema.ts';
import type { AttachmentTable } from '../schema-reports.ts';

/** An attachment without its content: listings never load the (possibly large) sealed bytes. */
export type AttachmentMetaRow = Omit<Selectable<AttachmentTable>, 'content_sealed' | 'seq'>;

export async function insertAttachment(db: DbOrTrx, values: Insertable<AttachmentTable>): Promise<void> {
  await db.insertInto('report_attachment').values(values).execute();
}

/**
 * Locks the report row for the rest of the transaction, so two concurrent
 * uploads to one report cannot both pass the count and size limits. False if
 * the report does not exist.
 */
export async function lockReportForAttachments(db: DbOrTrx, reportId: string): Promise<boolean> {
  return (await db.selectFrom('report').select('id').where('id', '=', reportId).forUpdate().executeTakeFirst()) !== undefined;
}

export async function attachmentTotals(db: DbOrTrx, reportId: string): Promise<{ count: number; bytes: number }> {
  const row = await db
    .selectFrom('report_attachment')
    .select([sql<string>`count(*)`.as('count'), sql<string>`coalesce(sum(size_bytes), 0)`.as('bytes')])
    .where('report_id', '=', reportId)
    .executeTakeFirstOrThrow();
  // Both come back as bigint text from node-postgres; the values stay far below 2^53.
  return { count: Number(row.count), bytes: Number(row.bytes) };
}

/**
 * A reporter sees what reporters sent, and team files attached to a message
 * the reporter may read; team files on internal notes (or on no message at
 * all) never reach them. The filter is in the query, like the thread's.
 */
function visibleTo<O>(query: SelectQueryBuilder<Database, 'report_attachment' | 'report_message', O>, reporterView: boolean) {
  if (!reporterView) return query;
  return query.where((eb) =>
    eb.or([eb.and([eb('report_attachment.message_id', 'is', null), eb('report_attachment.uploaded_by', '=', 'reporter')]), eb('report_message.visibility', '=', 'reporter')]),
  );
}

const metaColumns = [
  'report_attachment.id',
  'report_attachment.report_id',
  'report_attachment.message_id',
  'report_attachment.filename_sealed',
  'report_attachment.content_type',
  'report_attachment.declared_type',
  'report_attachment.size_bytes',
  'report_attachment.uploaded_by',
  'report_attachment.uploaded_by_user',
  'report_attachment.created_at',
] as const;

function fromReport(db: DbOrTrx, reportId: string) {
  return db
    .selectFrom('report_attachment')
    .leftJoin('report_message', 'report_message.id', 'report_attachment.message_id')
    .where('report_attachment.report_id', '=', reportId);
}

/** Metadata only: the sealed bytes stay in the database. */
export async function listAttachmentMeta(db: DbOrTrx, reportId: string, options: { reporterView: boolean }): Promise<AttachmentMetaRow[]> {
  const query = fromReport(db, reportId).select(metaColumns).orderBy('report_attachment.seq');
  return visibleTo(query, options.reporterView).execute();
}

/** One attachment of one report, with its sealed bytes; undefined if it is not that report's or not visible. */
export async function findAttachment(db: DbOrTrx, reportId: string, attachmentId: string, options: { reporterView: boolean }): Promise<(AttachmentMetaRow & { content_sealed: Buffer }) | undefined> {
  const query = fromReport(db, reportId).select([...metaColumns, 'report_attachment.content_sealed']).where('report_attachment.id', '=', attachmentId);
  const row = await visibleTo(query, options.reporterView).executeTakeFirst();
  if (!row) return undefined;
  // PGlite hands bytea back as a plain Uint8Array; the envelope code wants a Buffer. A view, not a copy: files may be large.
  const bytes = row.content_sealed;
  return { ...row, content_sealed: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
