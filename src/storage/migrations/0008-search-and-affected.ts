import { sql, type Kysely } from 'kysely';

/**
 * Trigram search over titles kept in clear (inbox search, duplicate hints),
 * and the team's structured list of affected products and version ranges.
 * pg_trgm is a trusted extension since PostgreSQL 13: a database owner may
 * create it without superuser rights.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create index report_title_trgm on report using gin (title_clear gin_trgm_ops)`.execute(db);
  await db.schema.alterTable('report').addColumn('affected', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`)).execute();
  await sql`create index report_cwe_ids on report using gin (cwe_ids)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('report').dropColumn('affected').execute();
  await db.schema.dropIndex('report_cwe_ids').execute();
  await db.schema.dropIndex('report_title_trgm').execute();
}
