import { sql, type Kysely } from 'kysely';

/**
 * The audit log (OWASP ASVS V16): a hash chain in `audit_log` plus signed
 * checkpoints in `audit_checkpoint`; see src/services/audit.service.ts.
 *
 * `seq` is assigned by the appender under an advisory lock, not by a
 * sequence: a sequence leaves a gap for every rolled-back transaction, and a
 * gap must mean a deleted entry. `ip` is text, not inet, because inet
 * rewrites what it stores and the hash covers the value as given.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const hexHash = (column: string) => sql`${sql.ref(column)} ~ '^[0-9a-f]{64}$'`;
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey().check(sql`seq > 0`))
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull().check(hexHash('prev_hash')))
    .addColumn('hash', 'text', (c) => c.notNull().check(hexHash('hash')))
    .execute();
  // For exports by date and for the API's per-object and per-actor histories.
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_object').on('audit_log').columns(['object_type', 'object_id']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').column('actor_id').execute();

  // No foreign key to audit_log: a checkpoint is evidence about the log and must outlive the entry it names.
  await db.schema
    .createTable('audit_checkpoint')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .execute();

  // Append-only in the database too, whoever connects: the application role cannot change history by mistake
  // or through an injection. A superuser can disable the triggers; the hash chain is what detects that.
  await sql`create function audit_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% on % refused: the audit log is append-only', tg_op, tg_table_name using errcode = 'insufficient_privilege';
    end
  $$`.execute(db);
  for (const table of ['audit_log', 'audit_checkpoint']) {
    await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete or truncate on ${sql.table(table)}
      for each statement execute function audit_refuse_change()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_checkpoint').execute();
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_refuse_change()`.execute(db);
}
