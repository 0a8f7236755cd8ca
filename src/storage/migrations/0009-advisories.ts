import { sql, type Kysely } from 'kysely';

/**
 * Advisories. An unpublished advisory is embargoed information (it names the
 * flaw before the fix is out), so its content is sealed like report content
 * while it is a draft or scheduled (`content_sealed`), and stored in clear
 * (`content`) from publication on, when it is public anyway and must be served
 * fast. Exactly one of the two is set, by state. Ids are numbered per id
 * prefix and year (`advisory_counter`), so two projects sharing a prefix
 * cannot collide on the instance-wide unique `advisory_id`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advisory_counter')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('advisory_counter_pk', ['prefix', 'year'])
    .execute();

  await db.schema
    .createTable('advisory')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id'))
    .addColumn('advisory_id', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('draft', 'scheduled', 'published', 'withdrawn')`))
    .addColumn('content_sealed', 'text')
    .addColumn('content', 'jsonb')
    .addColumn('scheduled_at', 'timestamptz')
    .addColumn('published_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('withdrawn_reason', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('modified_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('advisory_sealed_until_public', sql`(state in ('draft', 'scheduled')) = (content_sealed is not null) and (content_sealed is null) = (content is not null)`)
    .addCheckConstraint('advisory_scheduled_has_time', sql`(state = 'scheduled') = (scheduled_at is not null)`)
    .execute();
  await sql`create index advisory_public on advisory (project_id, published_at desc) where state in ('published', 'withdrawn')`.execute(db);
  await sql`create index advisory_public_all on advisory (published_at desc) where state in ('published', 'withdrawn')`.execute(db);
  await sql`create index advisory_due on advisory (scheduled_at) where state = 'scheduled'`.execute(db);

  await db.schema
    .createTable('advisory_revision')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('advisory_id', 'uuid', (c) => c.notNull().references('advisory.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('author_id', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('advisory_revision_number', ['advisory_id', 'number'])
    .execute();

  await db.schema
    .createTable('advisory_report')
    .addColumn('advisory_id', 'uuid', (c) => c.notNull().references('advisory.id').onDelete('cascade'))
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('advisory_report_pk', ['advisory_id', 'report_id'])
    .execute();
  await db.schema.createIndex('advisory_report_report').on('advisory_report').column('report_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['advisory_report', 'advisory_revision', 'advisory', 'advisory_counter']) await db.schema.dropTable(table).execute();
}
