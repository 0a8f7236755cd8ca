import { sql, type Kysely } from 'kysely';

/** Keys the instance itself signs with (CSAF documents), generated on first use; the private half is sealed. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('instance_key')
    .addColumn('purpose', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('public_key_armored', 'text', (c) => c.notNull())
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('instance_key').execute();
}
