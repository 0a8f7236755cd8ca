import { TZDate } from '@date-fns/tz';
import { addDays, addHours, startOfDay } from 'date-fns';
import type { Duration } from '../policy/targets.ts';

/** The working calendar of a policy: its timezone, working weekdays and holidays (local dates). */
export interface WorkCalendar {
  timezone: string;
  /** 0 = Sunday … 6 = Saturday, as Date#getDay counts. */
  workingDays: ReadonlySet<number>;
  /** `YYYY-MM-DD` in the calendar's timezone. */
  holidays: ReadonlySet<string>;
}

const weekdayNumbers: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export function workCalendar(timezone: string, weekdays: readonly string[], holidays: readonly string[]): WorkCalendar {
  return { timezone, workingDays: new Set(weekdays.map((d) => weekdayNumbers[d]!)), holidays: new Set(holidays) };
}

function localDateKey(date: TZDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function isBusinessDay(date: TZDate, calendar: WorkCalendar): boolean {
  return calendar.workingDays.has(date.getDay()) && !calendar.holidays.has(localDateKey(date));
}

/**
 * The instant a duration after `start` ends, in the calendar's timezone
 * (so "7 days" keeps the local time of day across a DST change). Business
 * days count whole working days: a start outside working days counts from
 * the beginning of the next working day, and the deadline keeps the start's
 * local time on the last counted day, so it always falls on a working day.
 */
export function addDuration(start: Date, duration: Duration, calendar: WorkCalendar): Date {
  const local = new TZDate(start.getTime(), calendar.timezone);
  if (duration.unit === 'hours') return new Date(addHours(local, duration.amount).getTime());
  if (!duration.business) return new Date(addDays(local, duration.amount).getTime());
  if (calendar.workingDays.size === 0) throw new Error('a business-day target needs at least one working weekday');
  let cursor = isBusinessDay(local, calendar) ? local : nextBusinessDayStart(local, calendar);
  for (let counted = 0; counted < duration.amount; ) {
    cursor = addDays(cursor, 1);
    if (isBusinessDay(cursor, calendar)) counted += 1;
  }
  return new Date(cursor.getTime());
}

function nextBusinessDayStart(local: TZDate, calendar: WorkCalendar): TZDate {
  // startOfDay on a TZDate works in its zone; its declared type loses the zone, so it is re-wrapped.
  const dayAfter = (date: TZDate) => new TZDate(startOfDay(addDays(date, 1)).getTime(), calendar.timezone);
  let cursor = dayAfter(local);
  while (!isBusinessDay(cursor, calendar)) cursor = dayAfter(cursor);
  return cursor;
}

/**
 * Moves an instant that falls outside working days to the start of the next
 * working day: a pause can push a business-day deadline onto a weekend, and
 * a deadline there would promise work nobody does. The start of the day
 * (rather than the same time of day) keeps this monotonic: a later instant
 * never maps to an earlier deadline, so pausing longer never shortens one.
 */
export function onBusinessDay(instant: Date, calendar: WorkCalendar): Date {
  const local = new TZDate(instant.getTime(), calendar.timezone);
  return isBusinessDay(local, calendar) ? instant : new Date(nextBusinessDayStart(local, calendar).getTime());
}
