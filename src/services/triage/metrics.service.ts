import type { ClockName } from '../../domain/sla/clocks.ts';
import { EmbargoError } from '../../errors.ts';
import { countsBy, milestoneDurations, openReportsBySeverityAndAge, reportsReceivedBetween, weeklyMilestoneDurations } from '../../storage/repositories/metrics.repository.ts';
import type { ServiceContext } from '../context.ts';
import { getProject } from '../project.service.ts';
import { clocksOf } from './report-clocks.ts';

/** Compliance is computed from each report's clocks, so a period is bounded: a year, and this many reports. */
const MAX_PERIOD_DAYS = 366;
const MAX_REPORTS_FOR_COMPLIANCE = 5000;

export interface MetricsPeriod {
  from: Date;
  to: Date;
}

function checkPeriod(period: MetricsPeriod): void {
  if (period.to <= period.from) throw new EmbargoError('validation_failed', 'the period is empty', [{ path: 'querystring.to', message: 'must be after from' }]);
  if (period.to.getTime() - period.from.getTime() > MAX_PERIOD_DAYS * 86_400_000) throw new EmbargoError('validation_failed', 'the period is longer than a year', [{ path: 'querystring.from', message: 'must be within a year of to' }]);
}

/** Share of decided clocks (met or breached) that were met in time, per clock. */
async function compliance(ctx: ServiceContext, projectId: string, period: MetricsPeriod) {
  const reports = await reportsReceivedBetween(ctx.db, projectId, period.from, period.to, MAX_REPORTS_FOR_COMPLIANCE);
  const tally = new Map<ClockName, { met: number; breached: number }>();
  for (const report of reports) {
    for (const clock of await clocksOf(ctx.db, report, ctx.now())) {
      if (clock.status.kind !== 'met' && clock.status.kind !== 'breached') continue;
      const entry = tally.get(clock.name) ?? { met: 0, breached: 0 };
      if (clock.status.kind === 'met') entry.met += 1;
      else entry.breached += 1;
      tally.set(clock.name, entry);
    }
  }
  return {
    reportsConsidered: reports.length,
    truncated: reports.length === MAX_REPORTS_FOR_COMPLIANCE,
    clocks: Object.fromEntries([...tally].map(([name, t]) => [name, { met: t.met, breached: t.breached, rate: Math.round((t.met / (t.met + t.breached)) * 1000) / 1000 }])),
  };
}

/** The team's response metrics for one project and period. */
export async function projectMetrics(ctx: ServiceContext, slug: string, period: MetricsPeriod) {
  checkPeriod(period);
  const project = await getProject(ctx, slug);
  return {
    project: slug,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    timeTo: await milestoneDurations(ctx.db, project.id, period.from, period.to),
    /** Time to acknowledge and to fix per week of receipt, for charts. */
    weekly: await weeklyMilestoneDurations(ctx.db, project.id, period.from, period.to),
    /** Open now, regardless of the period: the backlog by severity and age. */
    open: await openReportsBySeverityAndAge(ctx.db, project.id, ctx.now()),
    sla: await compliance(ctx, project.id, period),
    byState: await countsBy(ctx.db, project.id, 'state', period.from, period.to),
    bySeverity: await countsBy(ctx.db, project.id, 'severity', period.from, period.to),
  };
}

/**
 * Public response statistics, when the project's policy opts in: how fast
 * the team answers and how often it keeps its promises, as aggregates only.
 * No counts by state or severity, which could hint at unpublished flaws.
 */
export async function publicResponseStatistics(ctx: ServiceContext, slug: string) {
  const project = await getProject(ctx, slug);
  if (!project.policy.public_statistics) throw new EmbargoError('not_found', 'this project does not publish response statistics');
  const to = ctx.now();
  const from = new Date(to.getTime() - 365 * 86_400_000);
  const metrics = await projectMetrics(ctx, slug, { from, to });
  return { project: slug, from: metrics.from, to: metrics.to, timeTo: metrics.timeTo, sla: Object.fromEntries(Object.entries(metrics.sla.clocks).map(([name, c]) => [name, c.rate])) };
}
