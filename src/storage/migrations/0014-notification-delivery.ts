import { sql, type Kysely } from 'kysely';

/**
 * Delivery bookkeeping for the outbox. `email_attempt` keeps every SMTP
 * attempt of an email event (like `webhook_attempt` for webhooks): when, the
 * outcome, the server's answer or the error. `outbox_event.parked_at` marks
 * an event set aside after repeated or permanent failures: no worker claims
 * it again, and its `last_error` says why.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox_event').addColumn('parked_at', 'timestamptz').execute();
  await db.schema
    .createTable('email_attempt')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('outbox_event.id').onDelete('cascade'))
    .addColumn('attempted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('delivered', 'retry', 'parked')`))
    .addColumn('smtp_response', 'text')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_attempt_event').on('email_attempt').column('event_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('email_attempt').execute();
  await db.schema.alterTable('outbox_event').dropColumn('parked_at').execute();
}
