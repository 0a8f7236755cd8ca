import { randomUUID } from 'node:crypto';
import { decide } from '../../domain/access/policy.ts';
import type { ApiTokenPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import { findSimilarReports } from '../../storage/repositories/inbox.repository.ts';
import { findProjectRole } from '../../storage/repositories/project-member.repository.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import { insertReportEvent } from '../../storage/repositories/report-event.repository.ts';
import { insertReportMessage } from '../../storage/repositories/report-message.repository.ts';
import { findReportById, lockReportById, updateReport } from '../../storage/repositories/report.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { openReport } from '../reports/report-view.ts';
import { sealMessageBody } from '../reports/sealing.ts';
import { refreshDueSummary } from './report-clocks.ts';
import { applyWorkflowAction } from './workflow.service.ts';

type TeamMember = UserPrincipal | ApiTokenPrincipal;

/** Duplicate hints for the triager: similar reports of the same project and why they look alike. */
export async function similarReports(ctx: ServiceContext, reportId: string) {
  const report = await findReportById(ctx.db, reportId);
  if (!report) throw new EmbargoError('not_found', 'no such report');
  const rows = await findSimilarReports(ctx.db, report, 10);
  return rows.map((row) => ({
    id: row.id,
    humanId: row.human_id,
    state: row.state,
    reasons: [
      ...(row.title_similarity !== null && row.title_similarity > 0.3 ? [`similar title (${Math.round(row.title_similarity * 100)}%)`] : []),
      ...(row.same_cwe ? ['same CWE'] : []),
      ...(row.shared_label ? ['shared label'] : []),
    ],
  }));
}

/**
 * Moves a report to another project of the organisation. Its id, human id,
 * thread and history stay; from now on its clocks follow the new project's
 * current policy. The mover must be allowed to write reports in both.
 */
export async function moveReport(ctx: ServiceContext, member: TeamMember, reportId: string, targetSlug: string, meta: RequestMeta) {
  const target = await findProjectBySlug(ctx.db, targetSlug);
  if (!target) throw new EmbargoError('validation_failed', 'no such project', [{ path: 'body.project', message: 'does not exist' }]);
  const role = await findProjectRole(ctx.db, target.id, member.userId);
  if (!decide(member, 'report.write', { projectId: target.id, projectRole: role }).allowed) throw new EmbargoError('forbidden', 'you cannot write reports in the target project');
  return ctx.db.transaction().execute(async (trx) => {
    const report = await lockReportById(trx, reportId);
    if (!report) throw new EmbargoError('not_found', 'no such report');
    if (report.project_id === target.id) throw new EmbargoError('conflict', 'the report is already in this project', [{ path: 'body.project', message: 'is the current project' }]);
    const now = ctx.now();
    await updateReport(trx, report.id, { project_id: target.id, policy_revision: target.policy_revision, duplicate_of: null, updated_at: now });
    await insertReportEvent(trx, { report_id: report.id, type: 'moved', action: 'move', from_state: report.state, to_state: report.state, actor_type: 'team', actor_id: member.userId, reason_sealed: null, at: now });
    await appendAudit(trx, { actor: auditActor(member), action: 'report.moved', object: { type: 'report', id: report.id }, outcome: 'success', ...meta, details: { from: report.project_id, to: target.id }, at: now });
    await refreshDueSummary(trx, (await findReportById(trx, report.id))!, now);
    return { id: report.id, project: target.slug };
  });
}

/**
 * For a report that is not a vulnerability: closes it as informative, tells
 * the reporter it will become a public bug, and returns a Markdown text the
 * team can paste into its public tracker. Contact details never go into it;
 * the reporter is named only if they asked to be credited by name.
 */
export async function convertToPublicIssue(ctx: ServiceContext, member: TeamMember, reportId: string, meta: RequestMeta) {
  const row = await findReportById(ctx.db, reportId);
  if (!row) throw new EmbargoError('not_found', 'no such report');
  const report = openReport(ctx, row);
  await applyWorkflowAction(ctx, member, reportId, { type: 'close', resolution: 'informative', reason: 'converted to a public issue' }, meta);
  await ctx.db.transaction().execute(async (trx) => {
    const id = randomUUID();
    const text = 'The team judged that this is not a security vulnerability. It will be tracked as a public bug, so its content will become public.';
    await insertReportMessage(trx, { id, report_id: reportId, author_type: 'system', author_user_id: null, visibility: 'reporter', body_sealed: sealMessageBody(ctx, id, text), created_at: ctx.now() });
    await appendAudit(trx, { actor: auditActor(member), action: 'report.converted_to_public_issue', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, at: ctx.now() });
  });
  const sections = [
    `## ${report.title}`,
    report.content.description,
    report.content.steps_to_reproduce ? `### Steps to reproduce\n\n${report.content.steps_to_reproduce}` : undefined,
    report.content.impact ? `### Impact\n\n${report.content.impact}` : undefined,
    report.content.affected_versions?.text ? `### Affected versions\n\n${report.content.affected_versions.text}` : undefined,
    `_Reported privately (${report.humanId})${report.credit.mode === 'named' && report.credit.name ? ` by ${report.credit.name}` : ''} and moved to the public tracker because it is not a security vulnerability._`,
  ];
  return { markdown: sections.filter(Boolean).join('\n\n') + '\n' };
}
