import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { humanDuration, words } from '../shared/format.ts';
import { SlaBadge } from '../shared/SlaBadge.tsx';
import { reportKey } from './useReportAction.ts';

interface ClockView {
  name: string;
  startedAt: string | null;
  status: { kind: string; dueAt?: string; remainingSeconds?: number; bySeconds?: number; earlyBySeconds?: number; target?: string };
}

function Status({ status }: { status: ClockView['status'] }) {
  switch (status.kind) {
    case 'met':
      return <span className="badge ok">Met{status.earlyBySeconds !== undefined ? ` · ${humanDuration(status.earlyBySeconds)} early` : ''}</span>;
    case 'breached':
      return <span className="badge bad">Breached · {humanDuration(status.bySeconds ?? 0)} overdue</span>;
    case 'not_started':
      return <span className="badge neutral">Not started</span>;
    case 'not_applicable':
      return <span className="badge neutral">Not applicable</span>;
    case 'no_deadline':
      return <span className="badge neutral">No deadline ({words(status.target ?? '')})</span>;
    default:
      return <SlaBadge status={status.kind} dueAt={status.dueAt} />;
  }
}

/** Every SLA clock of the report, computed by the server from the policy the report arrived under. */
export function ClocksPanel({ reportId }: { reportId: string }) {
  const clocks = useQuery({ queryKey: reportKey(reportId, 'clocks'), queryFn: () => api<{ clocks: ClockView[] }>(`/api/v1/reports/${reportId}/clocks`) });
  return (
    <section aria-labelledby="clocks-title" className="card">
      <h2 id="clocks-title">SLA clocks</h2>
      <ErrorMessage error={clocks.error} />
      <ul className="clock-list">
        {clocks.data?.clocks.map((clock) => (
          <li key={clock.name}>
            <span>{words(clock.name)}</span>
            <Status status={clock.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}
