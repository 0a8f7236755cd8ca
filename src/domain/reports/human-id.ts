import type { Policy } from '../policy/schema.ts';

/** The prefix of a project's report ids: the policy's `report_id_prefix`, else the slug in capitals without dashes. */
export function reportIdPrefix(policy: Pick<Policy, 'project'>): string {
  return policy.project.report_id_prefix ?? policy.project.slug.replace(/-/g, '').toUpperCase().slice(0, 12);
}

/** `PAYQI-2026-0007`: readable in an email subject and stable for the life of the report. */
export function formatHumanId(prefix: string, year: number, number: number): string {
  return `${prefix}-${year}-${String(number).padStart(4, '0')}`;
}
