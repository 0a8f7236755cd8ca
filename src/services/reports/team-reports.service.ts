import { randomUUID } from 'node:crypto';
import type { ApiTokenPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import { availableActions, type ReportState } from '../../domain/workflow/transitions.ts';
import { EmbargoError } from '../../errors.ts';
import { insertReportMessage, listReportMessages } from '../../storage/repositories/report-message.repository.ts';
import { findProjectById } from '../../storage/repositories/project.repository.ts';
import { findReportById, listProjectReports, setReportSpam } from '../../storage/repositories/report.repository.ts';
import { revokeReporterTokens } from '../../storage/repositories/reporter-token.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail, enqueueEvent } from '../outbox.service.ts';
import { getProject } from '../project.service.ts';
import { REPORT_MESSAGE_TOPIC } from './portal.service.ts';
import { listAttachments, summariseAttachment } from './attachments.service.ts';
import { openMessage, openReport } from './report-view.ts';
import { teamMessageMail } from './reporter-mail.ts';
import { sealMessageBody } from './sealing.ts';

type TeamMember = UserPrincipal | ApiTokenPrincipal;

async function reportOrThrow(ctx: ServiceContext, reportId: string) {
  const report = await findReportById(ctx.db, reportId);
  if (!report) throw new EmbargoError('not_found', 'no such report');
  return report;
}

/** The project's reports, newest first; spam is hidden unless asked for. Listing decrypts titles, so it is audited. */
export async function listReports(ctx: ServiceContext, member: TeamMember, slug: string, options: { includeSpam: boolean; limit: number; before?: Date | undefined }, meta: RequestMeta) {
  const project = await getProject(ctx, slug);
  const rows = await listProjectReports(ctx.db, project.id, options);
  await appendAudit(ctx.db, { actor: auditActor(member), action: 'report.listed', object: { type: 'project', id: project.id }, outcome: 'success', ...meta, details: { count: rows.length }, at: ctx.now() });
  return rows.map((row) => {
    const report = openReport(ctx, row);
    return { id: report.id, humanId: report.humanId, title: report.title, state: report.state, source: report.source, versionStatus: report.versionStatus, spam: report.spam, encryptedToTeam: report.encryptedToTeam, receivedAt: report.receivedAt };
  });
}

const scoreOrNull = (vector: string | null, score: string | null) => (vector === null ? null : { vector, score: score === null ? null : Number(score) });

/** The team's assessment as recorded, and the workflow steps the team may take now (so a client offers only those). */
function triageView(row: Awaited<ReturnType<typeof reportOrThrow>>) {
  return {
    assessment: {
      severity: row.severity,
      severityOverrideReason: row.severity_override_reason,
      cvss31: scoreOrNull(row.cvss31_vector, row.cvss31_score),
      cvss40: scoreOrNull(row.cvss40_vector, row.cvss40_score),
      cweIds: row.cwe_ids,
      labels: row.labels,
      assigneeId: row.assignee_id,
      affected: row.affected,
    },
    resolution: row.resolution,
    duplicateOf: row.duplicate_of,
    availableActions: availableActions({ state: row.state as ReportState, resumeState: row.resume_state as ReportState | null }, 'team'),
  };
}

/** The whole report for the team, internal notes included. Every read of decrypted content is audited. */
export async function readReport(ctx: ServiceContext, member: TeamMember, reportId: string, meta: RequestMeta) {
  const row = await reportOrThrow(ctx, reportId);
  const report = openReport(ctx, row);
  const project = await findProjectById(ctx.db, row.project_id);
  const messages = (await listReportMessages(ctx.db, reportId, { reporterView: false })).map((m) => openMessage(ctx, m));
  const attachments = (await listAttachments(ctx, reportId, { reporterView: false })).map(summariseAttachment);
  await appendAudit(ctx.db, { actor: auditActor(member), action: 'report.read', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, at: ctx.now() });
  return {
    ...report,
    project: { slug: project?.slug ?? '', name: project?.name ?? '' },
    ...triageView(row),
    messages: messages.map((m) => ({ ...m, attachments: attachments.filter((a) => a.messageId === m.id) })),
    attachments,
  };
}

/** A message to the reporter, or an internal note the reporter never sees. */
export async function postTeamMessage(ctx: ServiceContext, member: TeamMember, reportId: string, input: { body: string; visibility: 'reporter' | 'internal' }, meta: RequestMeta) {
  const report = await reportOrThrow(ctx, reportId);
  // Composed (and encrypted) before the transaction, which should hold the connection for writes only.
  const mail = input.visibility === 'reporter' ? await teamMessageMail(ctx, report, input.body) : undefined;
  const id = randomUUID();
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    await insertReportMessage(trx, { id, report_id: reportId, author_type: 'team', author_user_id: member.userId, visibility: input.visibility, body_sealed: sealMessageBody(ctx, id, input.body), created_at: now });
    await appendAudit(trx, { actor: auditActor(member), action: 'report.message.posted', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, details: { messageId: id, visibility: input.visibility }, at: now });
    if (input.visibility === 'reporter') await enqueueEvent(trx, ctx, REPORT_MESSAGE_TOPIC, { reportId, messageId: id, by: 'team' });
    if (mail) await enqueueEmail(trx, ctx, mail);
    return { id, createdAt: now };
  });
}

/** The team ends a leaked follow-up token; the reporter can no longer use any token of this report. */
export async function revokeReporterAccess(ctx: ServiceContext, member: TeamMember, reportId: string, meta: RequestMeta) {
  await reportOrThrow(ctx, reportId);
  return ctx.db.transaction().execute(async (trx) => {
    const revoked = await revokeReporterTokens(trx, reportId, ctx.now(), 'revoked_by_team');
    await appendAudit(trx, { actor: auditActor(member), action: 'report.reporter_token.revoked', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, details: { revoked }, at: ctx.now() });
    return { revoked };
  });
}

/** Marks or unmarks spam: hidden from the inbox, kept in full. */
export async function markSpam(ctx: ServiceContext, member: TeamMember, reportId: string, spam: boolean, meta: RequestMeta) {
  await reportOrThrow(ctx, reportId);
  await ctx.db.transaction().execute(async (trx) => {
    await setReportSpam(trx, reportId, spam ? ctx.now() : null, ctx.now());
    await appendAudit(trx, { actor: auditActor(member), action: spam ? 'report.marked_spam' : 'report.unmarked_spam', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, at: ctx.now() });
  });
  return { spam };
}
