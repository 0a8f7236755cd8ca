import type { Policy } from '../../domain/policy/schema.ts';
import type { EscalationStep } from '../../domain/policy/schema-escalation.ts';
import { durationInHours } from '../../domain/policy/targets.ts';
import type { Clock } from '../../domain/sla/clocks.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { Report } from '../../storage/schema-reports.ts';
import { audienceEmails, listOpenReportsAfter } from '../../storage/repositories/inbox.repository.ts';
import { findPolicyAtRevision } from '../../storage/repositories/project.repository.ts';
import { recordSlaNotification } from '../../storage/repositories/sla-notification.repository.ts';
import { findUserById } from '../../storage/repositories/user.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { refreshDueSummary } from './report-clocks.ts';

export const SLA_DUE_SOON_TOPIC = 'sla.due_soon';
export const SLA_BREACHED_TOPIC = 'sla.breached';
const BATCH = 200;
const HOUR = 3_600_000;

async function recipients(db: DbOrTrx, report: Report, notify: EscalationStep['notify']): Promise<string[]> {
  if (typeof notify === 'object') return [notify.email];
  if (notify === 'assignee') {
    const assignee = report.assignee_id ? await findUserById(db, report.assignee_id) : undefined;
    return assignee && assignee.disabled_at === null ? [assignee.email] : audienceEmails(db, report.project_id, 'triagers');
  }
  return audienceEmails(db, report.project_id, notify);
}

/**
 * One report: refresh its clocks, then for each open deadline send the
 * reminder that is due and every escalation step the breach has reached.
 * Each is recorded under a unique key before its event is queued, in one
 * transaction, so a second run, a crash and rerun, or two instances scanning
 * at once send each exactly once.
 */
async function scanReport(ctx: ServiceContext, report: Report, now: Date): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const clocks: Clock[] = await refreshDueSummary(trx, report, now);
    const policy = (await findPolicyAtRevision(trx, report.project_id, report.policy_revision)) as Policy;
    const remindMs = durationInHours(policy.escalation.remind_before) * HOUR;
    let sent = 0;
    for (const clock of clocks) {
      const status = clock.status;
      if (status.kind === 'on_track' || status.kind === 'due_soon') {
        if (status.dueAt.getTime() - now.getTime() > remindMs) continue;
        const to = await recipients(trx, report, 'assignee');
        if (await recordSlaNotification(trx, { reportId: report.id, clock: clock.name, kind: 'reminder', level: 0, dueAt: status.dueAt, recipients: to, now })) {
          await enqueueEvent(trx, ctx, SLA_DUE_SOON_TOPIC, { reportId: report.id, clock: clock.name, dueAt: status.dueAt.toISOString(), recipients: to });
          sent += 1;
        }
      } else if (status.kind === 'breached' && status.resolvedAt === null) {
        for (const [index, step] of policy.escalation.steps.entries()) {
          const fireAt = status.dueAt.getTime() + (step.after_breach ? durationInHours(step.after_breach) * HOUR : 0);
          if (now.getTime() < fireAt) continue;
          const to = await recipients(trx, report, step.notify);
          if (!(await recordSlaNotification(trx, { reportId: report.id, clock: clock.name, kind: 'escalation', level: index + 1, dueAt: status.dueAt, recipients: to, now }))) continue;
          await enqueueEvent(trx, ctx, SLA_BREACHED_TOPIC, { reportId: report.id, clock: clock.name, dueAt: status.dueAt.toISOString(), level: index + 1, recipients: to });
          await appendAudit(trx, { actor: { type: 'system' }, action: 'sla.escalated', object: { type: 'report', id: report.id }, outcome: 'success', details: { clock: clock.name, level: index + 1, recipients: to.length }, at: now });
          sent += 1;
        }
      }
    }
    return sent;
  });
}

/** Walks every open report in batches. Time alone moves clocks, so this also keeps the inbox's due dates fresh. */
export async function scanSlaClocks(ctx: ServiceContext): Promise<{ reports: number; notifications: number }> {
  const now = ctx.now();
  let afterId: string | null = null;
  let reports = 0;
  let notifications = 0;
  for (;;) {
    const batch = await listOpenReportsAfter(ctx.db, afterId, BATCH);
    for (const report of batch) {
      notifications += await scanReport(ctx, report, now);
      reports += 1;
    }
    if (batch.length < BATCH) return { reports, notifications };
    afterId = batch.at(-1)!.id;
  }
}
