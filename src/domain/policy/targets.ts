/**
 * Response targets in their normalised form, plus the duration grammar used to
 * write them in a policy file. Pure and dependency-free so that the SLA clock
 * (and anything else computing deadlines) can import it without pulling in zod.
 *
 * Written form of a duration: a positive whole number followed by a unit.
 *   48h, 48 hours, 1 hour        -> hours
 *   7d, 7 days, 1 day            -> calendar days
 *   5bd, 5 business days         -> business days (see response_targets.business_days)
 */

export interface Duration {
  kind: 'duration';
  amount: number;
  unit: 'hours' | 'days';
  /** Only days can be business days; business hours are not modelled. */
  business: boolean;
}

/** A fixed deadline. `typical` marks an aim ("typically within 30 days") rather than a promise. */
export interface DurationTarget extends Duration {
  typical: boolean;
  note?: string;
}

/** "Typically within 30–90 days": `max` is the outer bound, `min` the best case. */
export interface RangeTarget {
  kind: 'range';
  min: Duration;
  max: Duration;
  note?: string;
}

/** No fixed deadline: "as soon as possible". */
export interface AsapTarget {
  kind: 'asap';
  note?: string;
}

/** Shipped with the next regular release, whenever that is. */
export interface NextReleaseTarget {
  kind: 'next_release';
  note?: string;
}

export type ResponseTarget = DurationTarget | RangeTarget | AsapTarget | NextReleaseTarget;

export const severities = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof severities)[number];

/** Longest duration accepted in any unit, in days: ten years is already beyond any sane embargo. */
const maxDays = 3650;

const durationPattern = /^(\d+)\s*(h|hours?|d|days?|bd|business\s+days?)$/i;

/** Parses the written form of a duration, or returns undefined when it does not match the grammar. */
export function parseDuration(text: string): Duration | undefined {
  const match = durationPattern.exec(text.trim());
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unitWord = (match[2] ?? '').toLowerCase();
  const unit = unitWord.startsWith('h') ? 'hours' : 'days';
  const business = unitWord === 'bd' || unitWord.startsWith('business');
  const days = unit === 'hours' ? amount / 24 : amount;
  if (amount < 1 || days > maxDays) return undefined;
  return { kind: 'duration', amount, unit, business };
}

/** The canonical written form, chosen for readability in YAML: `48 hours`, `7 days`, `5 business days`. */
export function formatDuration(duration: Duration): string {
  const noun = duration.unit === 'hours' ? 'hour' : duration.business ? 'business day' : 'day';
  return `${duration.amount} ${noun}${duration.amount === 1 ? '' : 's'}`;
}

/** Length in hours, for ordering durations of the same kind. Business days count as whole days here. */
export function durationInHours(duration: Duration): number {
  return duration.unit === 'hours' ? duration.amount : duration.amount * 24;
}

/** Structural equality, independent of property order (policies may also be built in code). */
export function sameTarget(a: ResponseTarget, b: ResponseTarget): boolean {
  return JSON.stringify(targetFingerprint(a)) === JSON.stringify(targetFingerprint(b));
}

function targetFingerprint(target: ResponseTarget): unknown[] {
  const durationParts = (d: Duration) => [d.amount, d.unit, d.business];
  switch (target.kind) {
    case 'duration':
      return [target.kind, ...durationParts(target), target.typical, target.note];
    case 'range':
      return [target.kind, ...durationParts(target.min), ...durationParts(target.max), target.note];
    case 'asap':
    case 'next_release':
      return [target.kind, target.note];
  }
}
