import type { Clock } from '../../../domain/sla/clocks.ts';

/** Clocks for the API: instants as ISO strings, durations in whole seconds. */
export function presentClocks(clocks: Clock[]) {
  return clocks.map((clock) => {
    const status: Record<string, unknown> = { kind: clock.status.kind };
    for (const [key, value] of Object.entries(clock.status)) {
      if (key === 'kind') continue;
      status[key.replace(/Ms$/, 'Seconds')] = value instanceof Date ? value.toISOString() : typeof value === 'number' && key.endsWith('Ms') ? Math.round(value / 1000) : value;
    }
    return { name: clock.name, startedAt: clock.startedAt?.toISOString() ?? null, status };
  });
}

type WithDates = Record<string, unknown>;
/** Dates anywhere one level down become ISO strings. */
export function isoDates<T extends WithDates>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}
