import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { words } from '../shared/format.ts';
import { reportKey } from './useReportAction.ts';

/** Duplicate hints from the server: similar reports of the same project and why. */
export function SimilarReports({ reportId }: { reportId: string }) {
  const similar = useQuery({ queryKey: reportKey(reportId, 'similar'), queryFn: () => api<{ similar: Array<{ id: string; humanId: string; state: string; reasons: string[] }> }>(`/api/v1/reports/${reportId}/similar`) });
  return (
    <section aria-labelledby="similar-title" className="card">
      <h2 id="similar-title">Possible duplicates</h2>
      <ErrorMessage error={similar.error} />
      {similar.data && similar.data.similar.length === 0 && <p className="hint">Nothing similar in this project.</p>}
      <ul>
        {similar.data?.similar.map((s) => (
          <li key={s.id}><Link to={`/reports/${s.id}`}>{s.humanId}</Link> ({words(s.state)}): {s.reasons.join(', ')}</li>
        ))}
      </ul>
    </section>
  );
}
