import { sql, type Kysely } from 'kysely';

/**
 * Report attachments (proof-of-concept files, logs, screenshots). The bytes
 * and the original filename are sealed (AES-256-GCM bound to this table, the
 * column and the attachment id), so a dump shows neither.
 *
 * In clear: the sniffed content type (one of file-type's fixed labels, never
 * reporter text), the declared type only after normalisation to a bare
 * `type/subtype` token, and the size, which the per-report limit sums and the
 * ciphertext length reveals anyway.
 *
 * Deliberately no SHA-256 of the content: a hash in clear lets anyone with a
 * dump confirm a guess of a small file (a known exploit, a specific log), and
 * GCM already proves integrity. Nothing here needs it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_attachment')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // Upload order (the order files were sent in): timestamps tie within one upload, an identity cannot.
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('report.id').onDelete('cascade'))
    // A deleted message leaves its files on the report rather than silently losing evidence.
    .addColumn('message_id', 'uuid', (c) => c.references('report_message.id').onDelete('set null'))
    .addColumn('filename_sealed', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('declared_type', 'text')
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('content_sealed', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().check(sql`uploaded_by in ('reporter', 'team')`))
    .addColumn('uploaded_by_user', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('report_attachment_user_is_team', sql`uploaded_by = 'team' or uploaded_by_user is null`)
    .execute();
  await db.schema.createIndex('report_attachment_report').on('report_attachment').columns(['report_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('report_attachment').execute();
}
