import { sql, type Kysely } from 'kysely';

/**
 * Team notification routing. A missing preference row means `immediate`.
 * Digest items wait (with no report content: human id, project, kind, link)
 * until the daily digest takes them; `notification_digest` has one row per
 * user and UTC day, so a rerun, a restart or a second instance sends each
 * day's digest once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_preference')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('event_kind', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull().check(sql`delivery in ('immediate', 'digest', 'off')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preference_pk', ['user_id', 'event_kind'])
    .execute();

  await db.schema
    .createTable('notification_digest')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_digest_pk', ['user_id', 'day'])
    .execute();

  await db.schema
    .createTable('notification_digest_item')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('event_kind', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('digest_day', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index notification_digest_item_pending on notification_digest_item (user_id, created_at) where digest_day is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['notification_digest_item', 'notification_digest', 'notification_preference']) await db.schema.dropTable(table).execute();
}
