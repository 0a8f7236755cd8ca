import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { formatDateTime } from '../shared/format.ts';
import { memberName, type Member } from '../shared/types.ts';
import { reportKey } from './useReportAction.ts';

interface TrailEntry {
  seq: number;
  at: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  outcome: string;
}

/** The report's audit trail, oldest first (GET /api/v1/reports/{id}/audit). */
export function AuditTrail({ reportId, members }: { reportId: string; members: Map<string, Member> }) {
  const [showReads, setShowReads] = useState(false);
  const trail = useInfiniteQuery({
    queryKey: reportKey(reportId, 'trail'),
    queryFn: ({ pageParam }) => api<{ entries: TrailEntry[]; nextAfterSeq: number | null }>(`/api/v1/reports/${reportId}/audit?limit=50${pageParam !== null ? `&afterSeq=${pageParam}` : ''}`),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextAfterSeq,
  });
  const all = trail.data?.pages.flatMap((p) => p.entries) ?? [];
  const entries = showReads ? all : all.filter((e) => e.action !== 'report.read');
  const who = (e: TrailEntry) => {
    const member = e.actor_id ? members.get(e.actor_id) : undefined;
    return member ? memberName(member) : (e.actor_label ?? e.actor_type);
  };
  return (
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">Audit trail</h2>
      <ErrorMessage error={trail.error} />
      <label className="radio"><input type="checkbox" checked={showReads} onChange={(e) => setShowReads(e.target.checked)} /> Show every time someone opened the report</label>
      <div className="table-scroll">
        <table className="trail">
          <thead>
            <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Outcome</th></tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq}>
                <td>{formatDateTime(e.at)}</td>
                <td>{who(e)}</td>
                <td><code>{e.action}</code></td>
                <td>{e.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {trail.hasNextPage && <div className="actions"><button type="button" className="secondary" onClick={() => trail.fetchNextPage()}>Load more of the trail</button></div>}
    </section>
  );
}
