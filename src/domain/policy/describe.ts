/**
 * Plain-English wording of policy values, shared by SECURITY.md, the intake
 * form and notifications so the same promise reads the same everywhere.
 */
import { formatDuration } from './targets.ts';
import type { ResponseTarget, Severity } from './targets.ts';
import type { Credit } from './schema-disclosure.ts';
import type { ReportFieldName } from './schema-report-form.ts';
import type { ResponseTargets, Weekday } from './schema-targets.ts';

/** "within 48 hours", "typically within 30–90 days", "as soon as possible", "in the next regular release". */
export function describeTarget(target: ResponseTarget): string {
  switch (target.kind) {
    case 'duration':
      return `${target.typical ? 'typically ' : ''}within ${formatDuration(target)}`;
    case 'range': {
      // Both ends share a unit (the schema checks), so the unit is said once: "30–90 days".
      const unit = formatDuration(target.max).replace(/^\d+ /, '');
      return `typically within ${target.min.amount}–${target.max.amount} ${unit}`;
    }
    case 'asap':
      return 'as soon as possible';
    case 'next_release':
      return 'in the next regular release';
  }
}

export function describeTargetWithNote(target: ResponseTarget): string {
  const text = describeTarget(target);
  return target.note === undefined ? text : `${text} (${target.note})`;
}

export type TargetStage = Exclude<keyof ResponseTargets, 'timezone' | 'business_days' | 'fix'>;

export const targetStageLabels: Record<TargetStage, string> = {
  acknowledgement: 'Acknowledgement of your report',
  initial_assessment: 'Initial assessment',
  status_update: 'Status updates',
  general_questions: 'Answers to general security questions (not vulnerability reports)',
};

export const severityLabels: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const reportFieldLabels: Record<ReportFieldName, string> = {
  description: 'Description of the vulnerability',
  steps_to_reproduce: 'Steps to reproduce the issue',
  impact: 'Potential impact of the vulnerability',
  affected_versions: 'Affected versions',
  suggested_fix: 'Suggested fix or mitigation',
  contact: 'Your contact information, so we can reach you',
  credit_name: 'Your name or handle for the credit',
};

const weekdayNames: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const weekOrder: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "Monday to Friday" for a run of consecutive days, otherwise a list. */
export function describeWeekdays(days: readonly Weekday[]): string {
  const ordered = weekOrder.filter((day) => days.includes(day));
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (first === undefined || last === undefined) return 'no days';
  if (ordered.length === 1) return weekdayNames[first];
  const consecutive = weekOrder.indexOf(last) - weekOrder.indexOf(first) === ordered.length - 1;
  if (consecutive && ordered.length > 2) return `${weekdayNames[first]} to ${weekdayNames[last]}`;
  return joinWords(ordered.map((day) => weekdayNames[day]));
}

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export function describeCredit(credit: Credit): string {
  const where = credit.where.length > 0 ? ` in ${joinWords(credit.where)}` : '';
  switch (credit.default) {
    case 'credited_with_permission':
      return `With your permission, we credit you${where}.`;
    case 'credited_unless_anonymous':
      return `We credit reporters${where}, unless you ask to remain anonymous.`;
    case 'none':
      return 'We do not credit reporters publicly.';
  }
}
