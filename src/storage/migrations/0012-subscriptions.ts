import { sql, type Kysely } from 'kysely';

/**
 * Public email subscriptions to advisories: of one project, or of the whole
 * instance when `project_id` is null. The address is personal data, so it is
 * sealed; `email_hash` (HMAC with the server secret) finds an existing
 * subscription without opening every row, and the unique index keeps one
 * subscription per address and scope. Unsubscribing deletes the row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advisory_subscription')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('project_id', 'uuid', (c) => c.references('project.id').onDelete('cascade'))
    .addColumn('email_sealed', 'text', (c) => c.notNull())
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmation_sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // An expression index: null (the instance) must count as one scope, which a plain unique constraint would not do.
  await sql`create unique index advisory_subscription_once on advisory_subscription (email_hash, coalesce(project_id::text, ''))`.execute(db);
  await sql`create index advisory_subscription_confirmed on advisory_subscription (project_id) where confirmed_at is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advisory_subscription').execute();
}
