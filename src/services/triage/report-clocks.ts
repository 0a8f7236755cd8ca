import type { Policy } from '../../domain/policy/schema.ts';
import type { Severity } from '../../domain/policy/targets.ts';
import { computeClocks, type Clock, type ClockEvent, type ClockEventType } from '../../domain/sla/clocks.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { Report } from '../../storage/schema-reports.ts';
import { findPolicyAtRevision } from '../../storage/repositories/project.repository.ts';
import { listReportEvents, listTeamUpdateTimes } from '../../storage/repositories/report-event.repository.ts';
import { updateReport } from '../../storage/repositories/report.repository.ts';

/** How close to a deadline a clock counts as due soon. */
export const DUE_SOON_MS = 24 * 3_600_000;

const clockEventTypes = new Set<string>(['acknowledged', 'needs_info', 'info_provided', 'accepted', 'closed', 'reopened', 'fixed', 'disclosed', 'status_update']);

/** The report's history as clock events: receipt, every workflow event, and every update the team sent the reporter. */
async function clockEvents(db: DbOrTrx, report: Report): Promise<ClockEvent[]> {
  const events: ClockEvent[] = [{ type: 'received', at: report.created_at }];
  for (const event of await listReportEvents(db, report.id)) {
    if (clockEventTypes.has(event.type)) events.push({ type: event.type as ClockEventType, at: event.at });
  }
  for (const at of await listTeamUpdateTimes(db, report.id)) events.push({ type: 'status_update', at });
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

export async function clocksOf(db: DbOrTrx, report: Report, now: Date): Promise<Clock[]> {
  // Measured against the policy in force when the report arrived: a later policy change does not move old promises.
  const policy = (await findPolicyAtRevision(db, report.project_id, report.policy_revision)) as Policy;
  const severity = report.severity && report.severity !== 'none' ? (report.severity as Severity) : null;
  return computeClocks({
    targets: policy.response_targets,
    events: await clockEvents(db, report),
    severity,
    disclosureAt: report.disclosure_at,
    embargo: policy.disclosure.embargo,
    now,
    dueSoonMs: DUE_SOON_MS,
  });
}

const severityOfStatus: Record<string, number> = { breached: 4, due_soon: 3, on_track: 2, paused: 1 };

/**
 * Keeps the inbox's sort and filter columns in step with the clocks: the
 * earliest open deadline and the worst clock status. Called after anything
 * that can move a clock, and by the SLA scan (time alone moves them).
 */
export async function refreshDueSummary(db: DbOrTrx, report: Report, now: Date): Promise<Clock[]> {
  const clocks = await clocksOf(db, report, now);
  await updateReport(db, report.id, dueSummary(clocks));
  return clocks;
}

/** The inbox columns for the clocks: the earliest open deadline and the worst status. */
function dueSummary(clocks: readonly Clock[]): { next_due_at: Date | null; clock_status: string } {
  const open = clocks.filter((c) => c.status.kind in severityOfStatus);
  const dues = open.flatMap((c) => ('dueAt' in c.status && c.status.kind !== 'paused' ? [c.status.dueAt.getTime()] : []));
  const worst = open.reduce<string>((acc, c) => ((severityOfStatus[c.status.kind] ?? 0) > (severityOfStatus[acc] ?? 0) ? c.status.kind : acc), 'none');
  return { next_due_at: dues.length > 0 ? new Date(Math.min(...dues)) : null, clock_status: worst };
}

/**
 * The inbox columns of a report being received under `policy` (the revision it
 * is stored with): its only event is the receipt and it has no severity yet, so
 * they are known before the insert and intake needs no queries for them.
 */
export function dueSummaryAtReceipt(policy: Policy, receivedAt: Date): { next_due_at: Date | null; clock_status: string } {
  return dueSummary(
    computeClocks({ targets: policy.response_targets, events: [{ type: 'received', at: receivedAt }], severity: null, disclosureAt: null, embargo: policy.disclosure.embargo, now: receivedAt, dueSoonMs: DUE_SOON_MS }),
  );
}
