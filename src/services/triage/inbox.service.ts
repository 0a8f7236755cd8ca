import type { ApiTokenPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import { projectIdsOfMember, queryInbox, type InboxFilter } from '../../storage/repositories/inbox.repository.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { openReportValue } from '../reports/sealing.ts';

export type InboxRequest = Omit<InboxFilter, 'projectIds' | 'projectId' | 'after'> & { project?: string | undefined; cursor?: string | undefined };

/** Row-level visibility: organisation admins see every project, others the projects they are members of, a project token its project. */
async function visibleProjects(ctx: ServiceContext, member: UserPrincipal | ApiTokenPrincipal): Promise<string[] | 'all'> {
  const scope = member.role === 'member' ? await projectIdsOfMember(ctx.db, member.userId) : 'all';
  if (member.kind === 'api_token' && member.projectId) return scope === 'all' || scope.includes(member.projectId) ? [member.projectId] : [];
  return scope;
}

const encodeCursor = (key: string | null, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url');
function decodeCursor(cursor: string): { key: string | null; id: string } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    if ((key === null || typeof key === 'string') && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { key, id };
  } catch {
    // fall through to the coded error
  }
  throw new EmbargoError('validation_failed', 'the cursor is not one this server gave out', [{ path: 'querystring.cursor', message: 'is invalid' }]);
}

/** The team's inbox across the projects the caller can see, filtered and sorted, one keyset page at a time. Titles are decrypted, so reading is audited. */
export async function listInbox(ctx: ServiceContext, member: UserPrincipal | ApiTokenPrincipal, request: InboxRequest, meta: RequestMeta) {
  const projectId = request.project ? (await findProjectBySlug(ctx.db, request.project))?.id : undefined;
  if (request.project && !projectId) throw new EmbargoError('not_found', `no project "${request.project}"`);
  const rows = await queryInbox(ctx.db, { ...request, projectIds: await visibleProjects(ctx, member), projectId, after: request.cursor ? decodeCursor(request.cursor) : undefined });
  await appendAudit(ctx.db, { actor: auditActor(member), action: 'report.inbox_listed', outcome: 'success', ...meta, details: { count: rows.length }, at: ctx.now() });
  const last = rows.at(-1);
  const sortKey = (row: (typeof rows)[number]) => (request.sort === 'due' ? (row.next_due_at?.toISOString() ?? null) : row.created_at.toISOString());
  return {
    reports: rows.map((row) => ({
      id: row.id,
      humanId: row.human_id,
      project: row.project_slug,
      title: row.title_clear ?? openReportValue<string>(ctx, 'title_sealed', row.id, row.title_sealed!),
      state: row.state,
      severity: row.severity,
      clockStatus: row.clock_status,
      nextDueAt: row.next_due_at?.toISOString() ?? null,
      assigneeId: row.assignee_id,
      labels: row.labels,
      receivedAt: row.created_at.toISOString(),
    })),
    nextCursor: last && rows.length === request.limit ? encodeCursor(sortKey(last), last.id) : null,
  };
}
