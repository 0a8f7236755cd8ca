import { sql, type Kysely } from 'kysely';

/**
 * Triage: the report's position in the workflow, its scoring and
 * assignment, every transition as an event, disclosure-date negotiation, and
 * the record of reminders and escalations already sent (so a job run twice
 * sends nothing twice). Timestamps of the main milestones are kept on the
 * report for the inbox filters and metrics.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('report')
    .addColumn('resume_state', 'text')
    .addColumn('resolution', 'text')
    .addColumn('duplicate_of', 'uuid', (c) => c.references('report.id').onDelete('set null'))
    .addColumn('severity', 'text', (c) => c.check(sql`severity in ('none', 'low', 'medium', 'high', 'critical')`))
    .addColumn('severity_override_reason', 'text')
    .addColumn('cvss31_vector', 'text')
    .addColumn('cvss31_score', 'numeric(3, 1)')
    .addColumn('cvss40_vector', 'text')
    .addColumn('cvss40_score', 'numeric(3, 1)')
    .addColumn('cwe_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('assignee_id', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('triaged_at', 'timestamptz')
    .addColumn('fixed_at', 'timestamptz')
    .addColumn('disclosed_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('disclosure_at', 'timestamptz')
    .addColumn('disclosure_timezone', 'text')
    .addColumn('next_due_at', 'timestamptz')
    .addColumn('clock_status', 'text', (c) => c.notNull().defaultTo('on_track'))
    .execute();
  await sql`create index report_inbox_state on report (project_id, state, next_due_at)`.execute(db);
  await sql`create index report_inbox_due on report (next_due_at, id) where closed_at is null`.execute(db);
  await sql`create index report_inbox_newest on report (created_at, id)`.execute(db);
  await sql`create index report_inbox_assignee on report (assignee_id, next_due_at)`.execute(db);
  await sql`create index report_inbox_severity on report (project_id, severity, created_at desc)`.execute(db);
  await sql`create index report_labels on report using gin (labels)`.execute(db);

  await db.schema
    .createTable('report_event')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('reason_sealed', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_event_report').on('report_event').columns(['report_id', 'seq']).execute();

  await db.schema
    .createTable('disclosure_proposal')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('proposed_by', 'text', (c) => c.notNull().check(sql`proposed_by in ('team', 'reporter')`))
    .addColumn('proposer_user_id', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('disclose_at', 'timestamptz', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('initial', 'counter', 'extension')`))
    .addColumn('reason_sealed', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'accepted', 'rejected', 'superseded')`))
    .addColumn('responded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disclosure_proposal_report').on('disclosure_proposal').columns(['report_id', 'created_at']).execute();

  await db.schema
    .createTable('sla_notification')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('report_id', 'uuid', (c) => c.notNull().references('report.id').onDelete('cascade'))
    .addColumn('clock', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('reminder', 'escalation')`))
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recipients', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('sla_notification_once', ['report_id', 'clock', 'kind', 'level', 'due_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sla_notification', 'disclosure_proposal', 'report_event']) await db.schema.dropTable(table).execute();
  for (const index of ['report_inbox_state', 'report_inbox_due', 'report_inbox_newest', 'report_inbox_assignee', 'report_inbox_severity', 'report_labels']) await db.schema.dropIndex(index).execute();
  const columns = ['resume_state', 'resolution', 'duplicate_of', 'severity', 'severity_override_reason', 'cvss31_vector', 'cvss31_score', 'cvss40_vector', 'cvss40_score', 'cwe_ids', 'labels', 'assignee_id', 'acknowledged_at', 'triaged_at', 'fixed_at', 'disclosed_at', 'closed_at', 'disclosure_at', 'disclosure_timezone', 'next_due_at', 'clock_status'];
  let alter = db.schema.alterTable('report').dropColumn(columns[0]!);
  for (const column of columns.slice(1)) alter = alter.dropColumn(column);
  await alter.execute();
}
