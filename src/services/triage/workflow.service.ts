import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { seal } from '../../crypto/envelope.ts';
import type { ApiTokenPrincipal, ReporterPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import { transition, type ReportState, type WorkflowAction } from '../../domain/workflow/transitions.ts';
import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { Report } from '../../storage/schema-reports.ts';
import type { Database } from '../../storage/schema.ts';
import { insertReportEvent } from '../../storage/repositories/report-event.repository.ts';
import { insertReportMessage } from '../../storage/repositories/report-message.repository.ts';
import { findReportByHumanId, findReportById, lockReportById, updateReport } from '../../storage/repositories/report.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { sealMessageBody } from '../reports/sealing.ts';
import { stateChangeMessage } from './plain-words.ts';
import { refreshDueSummary } from './report-clocks.ts';

export const STATE_CHANGED_TOPIC = 'report.state_changed';

export type WorkflowCaller = UserPrincipal | ApiTokenPrincipal | ReporterPrincipal | { kind: 'system' };

async function resolveDuplicate(db: DbOrTrx, report: Report, reference: string | undefined): Promise<string | null> {
  if (reference === undefined) return null;
  const original = /^[0-9a-f-]{36}$/.test(reference) ? await findReportById(db, reference) : await findReportByHumanId(db, report.project_id, reference);
  if (!original || original.project_id !== report.project_id || original.id === report.id) {
    throw new EmbargoError('validation_failed', 'the original report was not found in this project', [{ path: 'body.duplicateOf', message: 'is not another report of this project' }]);
  }
  return original.id;
}

/** Milestone timestamps the inbox and metrics read; the first time counts, a reopen clears the closure. */
function milestones(report: Report, to: ReportState, now: Date) {
  return {
    acknowledged_at: report.acknowledged_at ?? (to !== 'received' ? now : null),
    triaged_at: report.triaged_at ?? (to === 'accepted' || to === 'closed' ? now : null),
    fixed_at: report.fixed_at ?? (to === 'fixed' ? now : null),
    disclosed_at: report.disclosed_at ?? (to === 'disclosed' ? now : null),
    closed_at: to === 'closed' ? now : null,
  };
}

/**
 * Moves a report through its workflow. The pure `transition` decides; this
 * records the event (reason sealed), tells the reporter in plain words,
 * audits, queues the notification and refreshes the clocks, in one transaction.
 */
export async function applyWorkflowAction(ctx: ServiceContext, caller: WorkflowCaller, reportId: string, action: WorkflowAction, meta: RequestMeta) {
  return ctx.db.transaction().execute((trx) => applyWorkflowActionInTransaction(trx, ctx, caller, reportId, action, meta));
}

/** The same step inside a caller's transaction (publishing an advisory discloses its reports in its own transaction). */
export async function applyWorkflowActionInTransaction(trx: Transaction<Database>, ctx: ServiceContext, caller: WorkflowCaller, reportId: string, action: WorkflowAction, meta: RequestMeta) {
  const actor = caller.kind === 'reporter' ? 'reporter' : caller.kind === 'system' ? 'system' : 'team';
  const report = await lockReportById(trx, reportId);
  if (!report || (caller.kind === 'reporter' && caller.reportId !== reportId)) throw new EmbargoError('not_found', 'no such report');
  const result = transition({ state: report.state as ReportState, resumeState: (report.resume_state as ReportState | null) ?? null }, action, actor);
  if (!result.ok) throw new EmbargoError(result.code, result.message, result.path ? [{ path: result.path, message: result.message }] : []);
  const now = ctx.now();
  const duplicateOf = action.type === 'close' ? await resolveDuplicate(trx, report, action.duplicateOf) : report.duplicate_of;
  const to = result.position.state;
  await updateReport(trx, report.id, {
    state: to,
    resume_state: result.position.resumeState,
    resolution: to === 'closed' ? result.resolution : null,
    duplicate_of: to === 'closed' ? duplicateOf : null,
    updated_at: now,
    ...milestones(report, to, now),
  });
  const eventId = randomUUID();
  const reason = 'reason' in action && action.reason ? action.reason : null;
  await insertReportEvent(trx, {
    id: eventId,
    report_id: report.id,
    type: result.event,
    action: action.type,
    from_state: report.state,
    to_state: to,
    actor_type: actor,
    actor_id: caller.kind === 'user' || caller.kind === 'api_token' ? caller.userId : null,
    reason_sealed: reason ? seal(ctx.keyring, reason, { table: 'report_event', column: 'reason_sealed', rowId: eventId }) : null,
    at: now,
  });
  if (to !== report.state) {
    const messageId = randomUUID();
    const words = stateChangeMessage(to, result.resolution) + (action.type === 'request_info' ? `\n\n${action.reason}` : '');
    await insertReportMessage(trx, { id: messageId, report_id: report.id, author_type: 'system', author_user_id: null, visibility: 'reporter', body_sealed: sealMessageBody(ctx, messageId, words), created_at: now });
  }
  const auditCaller = caller.kind === 'system' ? { type: 'system' as const } : auditActor(caller);
  await appendAudit(trx, { actor: auditCaller, action: 'report.state_changed', object: { type: 'report', id: report.id }, outcome: 'success', ...meta, details: { action: action.type, from: report.state, to, resolution: result.resolution }, at: now });
  await enqueueEvent(trx, ctx, STATE_CHANGED_TOPIC, { reportId: report.id, projectId: report.project_id, from: report.state, to });
  const updated = (await findReportById(trx, report.id))!;
  const clocks = await refreshDueSummary(trx, updated, now);
  return { state: to, resumeState: result.position.resumeState, resolution: result.resolution, clocks };
}
