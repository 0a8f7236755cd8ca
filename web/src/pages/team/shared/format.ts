/** Human durations and dates for the team pages. Intl does the formatting; only the unit choice is ours. */
export function humanDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min`;
  if (s < 86_400 * 2) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

export function ageOf(iso: string, now = Date.now()): string {
  return humanDuration((now - Date.parse(iso)) / 1000);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatDateTime(iso: string, timeZone?: string | null): string {
  if (!timeZone) return dateTime.format(new Date(iso));
  return `${new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(iso))} (${timeZone})`;
}

export const words = (value: string) => value.replace(/_/g, ' ');
