import { sql } from 'kysely';
import type { DbOrTrx } from '../database.ts';

export interface DurationStats {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

const stats = (from: string) => sql<string | null>`percentile_cont(0.5) within group (order by extract(epoch from (${sql.ref(from)} - report.created_at)) / 3600)`;
const p90 = (from: string) => sql<string | null>`percentile_cont(0.9) within group (order by extract(epoch from (${sql.ref(from)} - report.created_at)) / 3600)`;
const count = (from: string) => sql<string>`count(${sql.ref(from)})`;

/** Median and 90th percentile of the time from receipt to each milestone, over reports received in the period (spam left out). */
export async function milestoneDurations(db: DbOrTrx, projectId: string, from: Date, to: Date): Promise<Record<'acknowledge' | 'triage' | 'fix' | 'disclose', DurationStats>> {
  const row = await db
    .selectFrom('report')
    .select([
      stats('report.acknowledged_at').as('ack_median'), p90('report.acknowledged_at').as('ack_p90'), count('report.acknowledged_at').as('ack_count'),
      stats('report.triaged_at').as('triage_median'), p90('report.triaged_at').as('triage_p90'), count('report.triaged_at').as('triage_count'),
      stats('report.fixed_at').as('fix_median'), p90('report.fixed_at').as('fix_p90'), count('report.fixed_at').as('fix_count'),
      stats('report.disclosed_at').as('disclose_median'), p90('report.disclosed_at').as('disclose_p90'), count('report.disclosed_at').as('disclose_count'),
    ])
    .where('project_id', '=', projectId)
    .where('spam_at', 'is', null)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  const pick = (prefix: string): DurationStats => {
    const r = row as unknown as Record<string, string | null>;
    const number = (v: string | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
    return { count: Number(r[`${prefix}_count`] ?? 0), medianHours: number(r[`${prefix}_median`]), p90Hours: number(r[`${prefix}_p90`]) };
  };
  return { acknowledge: pick('ack'), triage: pick('triage'), fix: pick('fix'), disclose: pick('disclose') };
}

export async function countsBy(db: DbOrTrx, projectId: string, column: 'state' | 'severity', from: Date, to: Date): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('report')
    .select([sql.ref<string | null>(`report.${column}`).as('key'), sql<string>`count(*)`.as('n')])
    .where('project_id', '=', projectId)
    .where('spam_at', 'is', null)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .groupBy(sql.ref(`report.${column}`))
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key ?? 'unscored', Number(r.n)]));
}

export async function reportsReceivedBetween(db: DbOrTrx, projectId: string, from: Date, to: Date, limit: number) {
  return db.selectFrom('report').selectAll().where('project_id', '=', projectId).where('spam_at', 'is', null).where('created_at', '>=', from).where('created_at', '<', to).orderBy('created_at').limit(limit).execute();
}

export interface WeeklyDurations {
  /** Monday of the week (UTC), YYYY-MM-DD: the week the reports were received. */
  week: string;
  acknowledge: DurationStats;
  fix: DurationStats;
}

/** The same statistics per week of receipt, for charts over time; weeks without reports are left out. */
export async function weeklyMilestoneDurations(db: DbOrTrx, projectId: string, from: Date, to: Date): Promise<WeeklyDurations[]> {
  const week = sql<string>`to_char(date_trunc('week', report.created_at at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('report')
    .select([
      week.as('week'),
      stats('report.acknowledged_at').as('ack_median'), p90('report.acknowledged_at').as('ack_p90'), count('report.acknowledged_at').as('ack_count'),
      stats('report.fixed_at').as('fix_median'), p90('report.fixed_at').as('fix_p90'), count('report.fixed_at').as('fix_count'),
    ])
    .where('project_id', '=', projectId)
    .where('spam_at', 'is', null)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .groupBy(week)
    .orderBy(week)
    .execute();
  const number = (v: string | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
  return rows.map((r) => ({
    week: r.week,
    acknowledge: { count: Number(r.ack_count), medianHours: number(r.ack_median), p90Hours: number(r.ack_p90) },
    fix: { count: Number(r.fix_count), medianHours: number(r.fix_median), p90Hours: number(r.fix_p90) },
  }));
}

export const openAgeBuckets = ['under7Days', 'under30Days', 'under90Days', 'over90Days'] as const;

/** Reports open now (not disclosed, closed or spam), whenever received, counted by severity and by how long they have been open. */
export async function openReportsBySeverityAndAge(db: DbOrTrx, projectId: string, now: Date): Promise<Record<string, Record<(typeof openAgeBuckets)[number], number>>> {
  const age = sql<string>`case
    when ${now}::timestamptz - report.created_at < interval '7 days' then 'under7Days'
    when ${now}::timestamptz - report.created_at < interval '30 days' then 'under30Days'
    when ${now}::timestamptz - report.created_at < interval '90 days' then 'under90Days'
    else 'over90Days' end`;
  const rows = await db
    .selectFrom('report')
    .select([sql<string | null>`report.severity`.as('severity'), age.as('age'), sql<string>`count(*)`.as('n')])
    .where('project_id', '=', projectId)
    .where('spam_at', 'is', null)
    .where('state', 'not in', ['disclosed', 'closed'])
    // By position: the age expression carries a parameter, which Postgres would not match to a repeated one in GROUP BY.
    .groupBy([sql`1`, sql`2`])
    .execute();
  const result: Record<string, Record<(typeof openAgeBuckets)[number], number>> = {};
  for (const row of rows) {
    const key = row.severity ?? 'unscored';
    result[key] ??= { under7Days: 0, under30Days: 0, under90Days: 0, over90Days: 0 };
    result[key][row.age as (typeof openAgeBuckets)[number]] = Number(row.n);
  }
  return result;
}
