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
