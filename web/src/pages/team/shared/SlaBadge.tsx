import { humanDuration } from './format.ts';

export type ClockStatusKind = 'breached' | 'due_soon' | 'on_track' | 'paused' | 'none' | 'met' | 'not_started' | 'not_applicable' | 'no_deadline';

/**
 * The SLA state in words (colour only repeats it): on track / due soon with
 * the time left, breached with how long overdue, paused while waiting on the reporter.
 */
export function SlaBadge({ status, dueAt, now = Date.now() }: { status: string; dueAt: string | null | undefined; now?: number }) {
  const left = dueAt ? (Date.parse(dueAt) - now) / 1000 : null;
  switch (status) {
    case 'breached':
      return <span className="badge bad">Breached{left !== null ? ` · ${humanDuration(left)} overdue` : ''}</span>;
    case 'due_soon':
      return <span className="badge warn">Due soon{left !== null ? ` · ${left < 0 ? `${humanDuration(left)} overdue` : `${humanDuration(left)} left`}` : ''}</span>;
    case 'on_track':
      return <span className="badge ok">On track{left !== null ? ` · ${humanDuration(left)} left` : ''}</span>;
    case 'paused':
      return <span className="badge neutral">Paused · waiting on reporter</span>;
    case 'met':
      return <span className="badge ok">Met</span>;
    default:
      return <span className="badge neutral">No deadline</span>;
  }
}
