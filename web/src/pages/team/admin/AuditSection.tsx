import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { formatDateTime } from '../shared/format.ts';

interface Entry {
  seq: number;
  at: string;
  actor_type: string;
  actor_label: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  ip: string | null;
  details: Record<string, unknown>;
}
interface Verification {
  ok: boolean;
  entries: number;
  checkpointsVerified: number;
  firstBrokenSeq?: number;
  reason?: string;
  message?: string;
}
interface Filters {
  objectType: string;
  objectId: string;
  actorId: string;
  since: string;
  until: string;
}

const PAGE = 50;
const emptyFilters: Filters = { objectType: '', objectId: '', actorId: '', since: '', until: '' };

/** The audit log in chain order, a page at a time (keyset on seq), with filters, and the chain verification. */
export function AuditSection() {
  const [draft, setDraft] = useState<Filters>(emptyFilters);
  const [filters, setFilters] = useState<Filters>(emptyFilters);
  const [cursors, setCursors] = useState<number[]>([0]);
  const afterSeq = cursors.at(-1)!;
  const log = useQuery({
    queryKey: ['audit', filters, afterSeq],
    queryFn: () => {
      const query = new URLSearchParams({ limit: String(PAGE), afterSeq: String(afterSeq) });
      for (const key of ['objectType', 'objectId', 'actorId'] as const) if (filters[key]) query.set(key, filters[key]);
      if (filters.since) query.set('since', new Date(filters.since).toISOString());
      if (filters.until) query.set('until', new Date(filters.until).toISOString());
      return api<{ entries: Entry[]; nextAfterSeq: number | null }>(`/api/v1/audit?${query}`);
    },
  });
  const verify = useMutation({ mutationFn: () => api<Verification>('/api/v1/audit/verify') });
  const set = (key: keyof Filters, value: string) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <>
      <div className="actions">
        <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>Verify chain</button>
      </div>
      <div role="status" aria-live="polite">
        {verify.isPending && <Loading what="Verifying the chain" />}
        {verify.data && (verify.data.ok ? (
          <p className="success">Chain intact: {verify.data.entries} entries, {verify.data.checkpointsVerified} signed checkpoint{verify.data.checkpointsVerified === 1 ? '' : 's'} verified.</p>
        ) : (
          <p className="error">Chain broken at entry {verify.data.firstBrokenSeq}: {verify.data.message ?? verify.data.reason}</p>
        ))}
      </div>
      <ErrorMessage error={verify.error} />
      <form className="audit-filters" onSubmit={(e) => { e.preventDefault(); setFilters(draft); setCursors([0]); }}>
        <Field label="Object type">{(ids) => <input {...ids} value={draft.objectType} placeholder="report, advisory, user…" onChange={(e) => set('objectType', e.target.value)} />}</Field>
        <Field label="Object id">{(ids) => <input {...ids} value={draft.objectId} onChange={(e) => set('objectId', e.target.value)} />}</Field>
        <Field label="Actor id">{(ids) => <input {...ids} value={draft.actorId} onChange={(e) => set('actorId', e.target.value)} />}</Field>
        <Field label="Since">{(ids) => <input {...ids} type="datetime-local" value={draft.since} onChange={(e) => set('since', e.target.value)} />}</Field>
        <Field label="Until">{(ids) => <input {...ids} type="datetime-local" value={draft.until} onChange={(e) => set('until', e.target.value)} />}</Field>
        <div className="audit-filter-actions">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={() => { setDraft(emptyFilters); setFilters(emptyFilters); setCursors([0]); }}>Clear</button>
        </div>
      </form>
      {log.isPending ? <Loading what="Loading the audit log" /> : log.error ? <ErrorMessage error={log.error} /> : (
        <>
          <div className="table-scroll">
            <table className="audit-table">
              <caption className="visually-hidden">Audit log entries</caption>
              <thead>
                <tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Object</th><th scope="col">Outcome</th><th scope="col">Details</th></tr>
              </thead>
              <tbody>
                {log.data.entries.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{e.actor_label ?? e.actor_type}{e.ip && <div className="hint">{e.ip}</div>}</td>
                    <td><code>{e.action}</code></td>
                    <td>{e.object_type}{e.object_id && <div className="hint audit-id">{e.object_id}</div>}</td>
                    <td><span className={`badge ${e.outcome === 'success' ? 'ok' : 'bad'}`}>{e.outcome}</span></td>
                    {/* Details are shown as JSON text; React escapes it, so whatever an entry recorded stays inert. */}
                    <td>{Object.keys(e.details).length > 0 && <pre className="audit-details">{JSON.stringify(e.details, null, 1)}</pre>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {log.data.entries.length === 0 && <p className="hint">No entries match.</p>}
          <div className="actions">
            <button type="button" className="secondary" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>Previous page</button>
            <button type="button" className="secondary" disabled={log.data.nextAfterSeq === null} onClick={() => setCursors((c) => [...c, log.data.nextAfterSeq!])}>Next page</button>
          </div>
        </>
      )}
    </>
  );
}
