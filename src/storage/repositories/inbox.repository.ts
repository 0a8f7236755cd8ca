import { sql } from 'kysely';
import type { DbOrTrx } from '../database.ts';

export interface InboxFilter {
  /** Projects the caller may see; `all` for organisation admins. */
  projectIds: string[] | 'all';
  projectId?: string | undefined;
  states?: string[] | undefined;
  severities?: string[] | undefined;
  clockStatuses?: string[] | undefined;
  assigneeId?: string | undefined;
  label?: string | undefined;
  /** Matched against titles stored in clear (projects with `title_in_clear`); encrypted titles cannot be searched in the database. */
  text?: string | undefined;
  includeClosed: boolean;
  includeSpam: boolean;
  sort: 'due' | 'newest' | 'oldest';
  after?: { key: string | null; id: string } | undefined;
  limit: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The inbox query. Keyset pagination (never OFFSET) on an order that is
 * total — the sort key, then the id — so pages stay fast and stable at a
 * million reports. `due` puts the most overdue first and reports without an
 * open deadline last.
 */
export async function queryInbox(db: DbOrTrx, filter: InboxFilter) {
  let query = db
    .selectFrom('report')
    .innerJoin('project', 'project.id', 'report.project_id')
    .select([
      'report.id',
      'report.human_id',
      'report.project_id',
      'project.slug as project_slug',
      'report.title_clear',
      'report.title_sealed',
      'report.state',
      'report.severity',
      'report.clock_status',
      'report.next_due_at',
      'report.assignee_id',
      'report.labels',
      'report.created_at',
    ])
    .limit(filter.limit);
  if (filter.projectIds !== 'all') query = query.where('report.project_id', 'in', filter.projectIds.length > 0 ? filter.projectIds : ['00000000-0000-0000-0000-000000000000']);
  if (filter.projectId) query = query.where('report.project_id', '=', filter.projectId);
  if (filter.states?.length) query = query.where('report.state', 'in', filter.states);
  if (filter.severities?.length) query = query.where('report.severity', 'in', filter.severities as never[]);
  if (filter.clockStatuses?.length) query = query.where('report.clock_status', 'in', filter.clockStatuses);
  if (filter.assigneeId) query = query.where('report.assignee_id', '=', filter.assigneeId);
  if (filter.label) query = query.where(sql<boolean>`report.labels @> ${JSON.stringify([filter.label])}::jsonb`);
  if (filter.text) query = query.where('report.title_clear', 'ilike', `%${escapeLike(filter.text)}%`);
  if (!filter.includeClosed) query = query.where('report.closed_at', 'is', null);
  if (!filter.includeSpam) query = query.where('report.spam_at', 'is', null);

  const after = filter.after;
  if (filter.sort === 'due') {
    if (after) {
      query = after.key === null
        ? query.where('report.next_due_at', 'is', null).where('report.id', '>', after.id)
        : query.where((eb) => eb.or([eb('report.next_due_at', '>', new Date(after.key!)), eb.and([eb('report.next_due_at', '=', new Date(after.key!)), eb('report.id', '>', after.id)]), eb('report.next_due_at', 'is', null)]));
    }
    return query.orderBy(sql`report.next_due_at asc nulls last`).orderBy('report.id').execute();
  }
  const direction = filter.sort === 'newest' ? 'desc' : 'asc';
  if (after?.key) {
    const comparison = filter.sort === 'newest' ? sql`<` : sql`>`;
    query = query.where(sql<boolean>`(report.created_at, report.id) ${comparison} (${new Date(after.key)}, ${after.id})`);
  }
  return query.orderBy('report.created_at', direction).orderBy('report.id', direction).execute();
}

/** The projects a user works on, with any role. */
export async function projectIdsOfMember(db: DbOrTrx, userId: string): Promise<string[]> {
  return (await db.selectFrom('project_member').select('project_id').where('user_id', '=', userId).execute()).map((r) => r.project_id);
}

/** Open reports in id order after `afterId`: the SLA scan walks them in batches. */
export async function listOpenReportsAfter(db: DbOrTrx, afterId: string | null, limit: number) {
  let query = db.selectFrom('report').selectAll().where('closed_at', 'is', null).where('spam_at', 'is', null).where('state', '!=', 'disclosed').orderBy('id').limit(limit);
  if (afterId) query = query.where('id', '>', afterId);
  return query.execute();
}

/** Team members to tell about a report, by audience. */
export async function audienceEmails(db: DbOrTrx, projectId: string, audience: 'triagers' | 'project_admins' | 'owners'): Promise<string[]> {
  if (audience === 'owners') {
    const rows = await db.selectFrom('app_user').select('email').where('role', 'in', ['owner', 'admin']).where('disabled_at', 'is', null).orderBy('email').execute();
    return rows.map((r) => r.email);
  }
  const roles = audience === 'triagers' ? ['triager', 'project_admin'] : ['project_admin'];
  const rows = await db
    .selectFrom('project_member')
    .innerJoin('app_user', 'app_user.id', 'project_member.user_id')
    .select('app_user.email')
    .where('project_member.project_id', '=', projectId)
    .where('project_member.role', 'in', roles as never[])
    .where('app_user.disabled_at', 'is', null)
    .orderBy('app_user.email')
    .execute();
  return rows.map((r) => r.email);
}

/**
 * Reports of the same project that look like the given one: a similar title
 * (trigram similarity, only where titles are kept in clear), a shared CWE or
 * a shared label. Encrypted titles cannot be compared inside the database.
 */
export async function findSimilarReports(db: DbOrTrx, report: { id: string; project_id: string; title_clear: string | null; cwe_ids: string[]; labels: string[] }, limit: number) {
  const title = report.title_clear;
  return db
    .selectFrom('report')
    .select([
      'id',
      'human_id',
      'state',
      'title_clear',
      'created_at',
      sql<number | null>`case when ${title}::text is not null and title_clear is not null then similarity(title_clear, ${title}) end`.as('title_similarity'),
      sql<boolean>`cwe_ids ?| ${sql.val(report.cwe_ids)}::text[]`.as('same_cwe'),
      sql<boolean>`labels ?| ${sql.val(report.labels)}::text[]`.as('shared_label'),
    ])
    .where('project_id', '=', report.project_id)
    .where('id', '!=', report.id)
    .where((eb) =>
      eb.or([
        ...(title ? [eb(sql<boolean>`title_clear % ${title}`, '=', true)] : []),
        ...(report.cwe_ids.length ? [eb(sql<boolean>`cwe_ids ?| ${sql.val(report.cwe_ids)}::text[]`, '=', true)] : []),
        ...(report.labels.length ? [eb(sql<boolean>`labels ?| ${sql.val(report.labels)}::text[]`, '=', true)] : []),
        eb.val(false),
      ]),
    )
    .orderBy(sql`coalesce(similarity(title_clear, ${title ?? ''}), 0)`, 'desc')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
