import type { ResponseTargets } from '../policy/schema-targets.ts';
import type { Duration, ResponseTarget, Severity } from '../policy/targets.ts';
import { addDuration, onBusinessDay, workCalendar, type WorkCalendar } from './calendar.ts';

/** What happened to a report, as far as its clocks care. */
export type ClockEventType = 'received' | 'acknowledged' | 'needs_info' | 'info_provided' | 'accepted' | 'closed' | 'reopened' | 'fixed' | 'disclosed' | 'status_update';
export interface ClockEvent {
  type: ClockEventType;
  at: Date;
}

export type ClockName = 'acknowledgement' | 'initial_assessment' | 'status_update' | 'fix' | 'disclosure';

export type ClockStatus =
  | { kind: 'not_applicable' }
  | { kind: 'no_deadline'; target: 'asap' | 'next_release' }
  | { kind: 'not_started' }
  | { kind: 'met'; at: Date; dueAt: Date; earlyByMs: number }
  | { kind: 'breached'; dueAt: Date; byMs: number; resolvedAt: Date | null }
  | { kind: 'paused'; dueAt: Date }
  | { kind: 'due_soon'; dueAt: Date; remainingMs: number }
  | { kind: 'on_track'; dueAt: Date; remainingMs: number };

export interface Clock {
  name: ClockName;
  startedAt: Date | null;
  status: ClockStatus;
}

export interface ClockInput {
  targets: ResponseTargets;
  events: readonly ClockEvent[];
  severity: Severity | null;
  /** The agreed disclosure date, when there is one. */
  disclosureAt: Date | null;
  /** Default embargo from the policy, counted from acceptance when no date is agreed. */
  embargo?: Duration | undefined;
  now: Date;
  /** How close to the deadline a clock turns "due soon". */
  dueSoonMs: number;
}

/**
 * Pauses: a report waiting on the reporter (needs_info until info_provided)
 * does not use up the team's time. Every pause that starts before the
 * deadline pushes it back by its length; a pause still open pushes it up to
 * `now`. So pausing never shortens a deadline, and time spent waiting on the
 * reporter is never held against the team.
 */
export function pauses(events: readonly ClockEvent[], now: Date): Array<{ start: Date; end: Date; open: boolean }> {
  const result: Array<{ start: Date; end: Date; open: boolean }> = [];
  let pausedSince: Date | null = null;
  for (const event of events) {
    if (event.type === 'needs_info' && pausedSince === null) pausedSince = event.at;
    else if (pausedSince !== null && event.type !== 'needs_info' && event.type !== 'status_update') {
      result.push({ start: pausedSince, end: event.at, open: false });
      pausedSince = null;
    }
  }
  if (pausedSince !== null) result.push({ start: pausedSince, end: now, open: true });
  return result;
}

function extendByPauses(due: Date, from: Date, paused: ReturnType<typeof pauses>, calendar: WorkCalendar, business: boolean): Date {
  let extended = due.getTime();
  for (const pause of paused) {
    if (pause.end <= from || pause.start.getTime() >= extended) continue;
    extended += pause.end.getTime() - Math.max(pause.start.getTime(), from.getTime());
  }
  return business ? onBusinessDay(new Date(extended), calendar) : new Date(extended);
}

/** A range is promised at its outer bound. */
function deadlineDuration(target: ResponseTarget): Duration | undefined {
  if (target.kind === 'duration') return target;
  if (target.kind === 'range') return target.max;
  return undefined;
}

const first = (events: readonly ClockEvent[], types: readonly ClockEventType[], after?: Date) =>
  events.find((e) => types.includes(e.type) && (after === undefined || e.at >= after))?.at ?? null;

function statusOf(input: ClockInput, dueAt: Date, metAt: Date | null, paused: boolean): ClockStatus {
  if (metAt !== null) {
    const early = dueAt.getTime() - metAt.getTime();
    return early >= 0 ? { kind: 'met', at: metAt, dueAt, earlyByMs: early } : { kind: 'breached', dueAt, byMs: -early, resolvedAt: metAt };
  }
  if (paused) return { kind: 'paused', dueAt };
  const remaining = dueAt.getTime() - input.now.getTime();
  if (remaining < 0) return { kind: 'breached', dueAt, byMs: -remaining, resolvedAt: null };
  return remaining <= input.dueSoonMs ? { kind: 'due_soon', dueAt, remainingMs: remaining } : { kind: 'on_track', dueAt, remainingMs: remaining };
}

function timedClock(input: ClockInput, name: ClockName, target: ResponseTarget | undefined, startedAt: Date | null, metAt: Date | null, calendar: WorkCalendar): Clock {
  if (target === undefined) return { name, startedAt, status: { kind: 'not_applicable' } };
  if (target.kind === 'asap' || target.kind === 'next_release') return { name, startedAt, status: { kind: 'no_deadline', target: target.kind } };
  if (startedAt === null) return { name, startedAt, status: { kind: 'not_started' } };
  const duration = deadlineDuration(target)!;
  const paused = pauses(input.events, input.now);
  const dueAt = extendByPauses(addDuration(startedAt, duration, calendar), startedAt, paused, calendar, duration.business);
  const pausedNow = metAt === null && paused.some((p) => p.open);
  return { name, startedAt, status: statusOf(input, dueAt, metAt, pausedNow) };
}

/** Computes every clock of a report from its history. Pure: `now` is an input. */
export function computeClocks(input: ClockInput): Clock[] {
  const { targets, events } = input;
  const calendar = workCalendar(targets.timezone, targets.business_days.weekdays, targets.business_days.holidays);
  const receivedAt = first(events, ['received']);
  const acceptedAt = first(events, ['accepted']);
  const closedAt = first(events, ['closed']);
  const triagedAt = first(events, ['accepted', 'closed']);
  const finished = events.at(-1)?.type === 'closed' || events.at(-1)?.type === 'disclosed';

  const clocks: Clock[] = [
    timedClock(input, 'acknowledgement', targets.acknowledgement, receivedAt, first(events, ['acknowledged', 'needs_info', 'accepted', 'closed']), calendar),
    timedClock(input, 'initial_assessment', targets.initial_assessment, receivedAt, triagedAt, calendar),
  ];

  // Status updates recur: each update to the reporter starts the next period. They stop once the report is closed or disclosed.
  const lastUpdate = [...events].reverse().find((e) => e.type !== 'received' && e.type !== 'info_provided')?.at ?? receivedAt;
  clocks.push(
    finished
      ? { name: 'status_update', startedAt: lastUpdate, status: { kind: 'not_applicable' } }
      : timedClock(input, 'status_update', targets.status_update, lastUpdate, null, calendar),
  );

  const fixTarget = input.severity ? targets.fix?.[input.severity] : undefined;
  const closedWithoutFix = closedAt !== null && acceptedAt === null;
  clocks.push(closedWithoutFix ? { name: 'fix', startedAt: null, status: { kind: 'not_applicable' } } : timedClock(input, 'fix', fixTarget, acceptedAt, first(events, ['fixed', 'disclosed'], acceptedAt ?? undefined), calendar));

  const disclosedAt = first(events, ['disclosed']);
  if (input.disclosureAt !== null) {
    clocks.push({ name: 'disclosure', startedAt: acceptedAt, status: statusOf(input, input.disclosureAt, disclosedAt, false) });
  } else if (input.embargo && acceptedAt) {
    clocks.push(timedClock(input, 'disclosure', { ...input.embargo, typical: false }, acceptedAt, disclosedAt, calendar));
  } else {
    clocks.push({ name: 'disclosure', startedAt: acceptedAt, status: { kind: acceptedAt ? 'not_applicable' : 'not_started' } });
  }
  return clocks;
}
