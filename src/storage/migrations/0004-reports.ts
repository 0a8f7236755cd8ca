import { sql, type Kysely } from 'kysely';

/**
 * Private reports. Everything a reporter wrote is stored sealed (AES-256-GCM
 * envelope bound to table, column and row): `*_sealed` columns. What stays in
 * clear is metadata the system works with: ids, state, timestamps, the
 * version verdict, and the title only when the project's policy says so.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_counter')
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_counter_pk', ['project_id', 'year'])
    .execute();

  await db.schema
    .createTable('report')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id'))
    .addColumn('human_id', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('received'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('web', 'api', 'email')`))
    .addColumn('title_clear', 'text')
    .addColumn('title_sealed', 'text')
    .addColumn('fields_sealed', 'text', (c) => c.notNull())
    .addColumn('contact_sealed', 'text')
    .addColumn('credit_mode', 'text', (c) => c.notNull().check(sql`credit_mode in ('named', 'anonymous', 'none')`))
    .addColumn('credit_name_sealed', 'text')
    .addColumn('version_status', 'text', (c) => c.notNull().check(sql`version_status in ('supported', 'unsupported', 'unknown')`))
    .addColumn('encrypted_to_team', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('policy_revision', 'integer', (c) => c.notNull())
    .addColumn('spam_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('report_title_once', sql`(title_clear is null) <> (title_sealed is null)`)
    .execute();
  await sql`create index report_project_created on report (project_id, created_at desc)`.execute(db);

  await db.schema
    .createTable('reporter_token')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text')
    .execute();

  await db.schema
    .createTable('report_message')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // The thread's order: timestamps can tie, an identity cannot.
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('author_type', 'text', (c) => c.notNull().check(sql`author_type in ('reporter', 'team', 'system')`))
    .addColumn('author_user_id', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('reporter', 'internal')`))
    .addColumn('body_sealed', 'text', (c) => c.notNull())
    .addColumn('encrypted_to_team', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('report_message_report').on('report_message').columns(['report_id', 'seq']).execute();

  // The stored answer to a submission, so a retry with the same Idempotency-Key gets the same receipt (token included) instead of a second report.
  await db.schema
    .createTable('idempotency_record')
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('report_id', 'uuid', (c) => c.references('report.id').onDelete('cascade'))
    .addColumn('response_sealed', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_record_pk', ['project_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_record', 'report_message', 'reporter_token', 'report', 'report_counter']) await db.schema.dropTable(table).execute();
}
