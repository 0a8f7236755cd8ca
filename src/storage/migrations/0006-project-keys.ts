import { sql, type Kysely } from 'kysely';

/**
 * OpenPGP intake keys and email reply addresses.
 *
 * `project_key`: one key pair per project. The public key is published; the
 * private key is stored unlocked but sealed (AES-256-GCM envelope bound to
 * this table, column and project id), or null when the team keeps it offline
 * and Embargo stores encrypted reports as received.
 *
 * `report_reply_address`: the secret part of a per-report reply address
 * (`security+{slug}.r.{token}@…`) handed out in acknowledgement mails; only
 * its keyed hash is stored, like every other bearer secret.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('project_key')
    .addColumn('project_id', 'uuid', (c) => c.primaryKey().references('project.id').onDelete('cascade'))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('public_key_armored', 'text', (c) => c.notNull())
    .addColumn('private_key_sealed', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('report_reply_address')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['report_reply_address', 'project_key']) await db.schema.dropTable(table).execute();
}
