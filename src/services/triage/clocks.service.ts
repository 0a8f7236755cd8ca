import { EmbargoError } from '../../errors.ts';
import { findReportById } from '../../storage/repositories/report.repository.ts';
import { listSlaNotifications } from '../../storage/repositories/sla-notification.repository.ts';
import type { ServiceContext } from '../context.ts';
import { clocksOf } from './report-clocks.ts';

/** Every clock of a report as of now, with the reminders and escalations already sent for it. */
export async function getReportClocks(ctx: ServiceContext, reportId: string) {
  const report = await findReportById(ctx.db, reportId);
  if (!report) throw new EmbargoError('not_found', 'no such report');
  const clocks = await clocksOf(ctx.db, report, ctx.now());
  const notifications = await listSlaNotifications(ctx.db, reportId);
  return {
    state: report.state,
    clocks,
    notifications: notifications.map((n) => ({ clock: n.clock, kind: n.kind, level: n.level, dueAt: n.due_at, recipients: n.recipients, sentAt: n.created_at })),
  };
}
