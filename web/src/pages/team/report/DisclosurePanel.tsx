import { TZDate } from '@date-fns/tz';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { formatDateTime, words } from '../shared/format.ts';
import { reportKey, useReportAction } from './useReportAction.ts';

interface Proposal {
  id: string;
  proposedBy: 'team' | 'reporter';
  kind: 'initial' | 'counter' | 'extension';
  discloseAt: string;
  timezone: string;
  reason: string | null;
  status: string;
  proposedAt: string;
}
interface Disclosure {
  agreed: { at: string; timezone: string } | null;
  proposals: Proposal[];
}

const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A wall-clock time in a timezone, as an ISO instant with its offset (TZDate from @date-fns/tz does the zone arithmetic). */
export function zonedIso(local: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  return new TZDate(y, mo - 1, d, h, mi, timeZone).toISOString();
}

/** The negotiated disclosure date: the agreed one, every proposal and answer, and proposing, countering, accepting or extending. */
export function DisclosurePanel({ reportId, canWrite }: { reportId: string; canWrite: boolean }) {
  const disclosure = useQuery({ queryKey: reportKey(reportId, 'disclosure'), queryFn: () => api<Disclosure>(`/api/v1/reports/${reportId}/disclosure`) });
  const { run, error, busy } = useReportAction(reportId);
  const [local, setLocal] = useState('');
  const [timezone, setTimezone] = useState(localZone);
  const [reason, setReason] = useState('');
  if (disclosure.isPending) return <Loading what="Loading the disclosure date" />;
  if (disclosure.isError) return <ErrorMessage error={disclosure.error} />;
  const { agreed, proposals } = disclosure.data;
  const openFromReporter = proposals.find((p) => p.status === 'open' && p.proposedBy === 'reporter');
  const openFromTeam = proposals.find((p) => p.status === 'open' && p.proposedBy === 'team');
  const mode = agreed ? 'extension' : openFromReporter ? 'counter' : 'initial';
  const propose = async (event: FormEvent) => {
    event.preventDefault();
    const discloseAt = zonedIso(local, timezone);
    const ok = await run(() => api(`/api/v1/reports/${reportId}/disclosure/proposals`, { method: 'POST', body: { discloseAt: discloseAt ?? local, timezone, ...(reason.trim() ? { reason: reason.trim() } : {}) } }));
    if (ok) {
      setLocal('');
      setReason('');
    }
  };
  const answer = (proposalId: string, decision: 'accept' | 'reject') => run(() => api(`/api/v1/reports/${reportId}/disclosure/proposals/${proposalId}/answer`, { method: 'POST', body: { decision } }));
  return (
    <section aria-labelledby="disclosure-title" className="card">
      <h2 id="disclosure-title">Disclosure date</h2>
      {agreed ? (
        <p className="success" data-testid="agreed-disclosure">Agreed: <strong>{formatDateTime(agreed.at, agreed.timezone)}</strong></p>
      ) : (
        <p className="hint">No date agreed yet.{openFromTeam ? ' Waiting for the reporter to answer the team’s proposal.' : ''}</p>
      )}
      {proposals.length > 0 && (
        <ol className="stack">
          {proposals.map((p) => (
            <li key={p.id}>
              {p.proposedBy === 'team' ? 'Team' : 'Reporter'} proposed{p.kind !== 'initial' ? ` (${p.kind})` : ''} {formatDateTime(p.discloseAt, p.timezone)} — <strong>{words(p.status)}</strong>
              {p.reason && <div className="report-field hint">Reason: {p.reason}</div>}
              {canWrite && p.status === 'open' && p.proposedBy === 'reporter' && (
                <div className="actions">
                  <button type="button" disabled={busy} onClick={() => answer(p.id, 'accept')}>Accept this date</button>
                  <button type="button" className="secondary" disabled={busy} onClick={() => answer(p.id, 'reject')}>Decline</button>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
        <form onSubmit={propose}>
          <h3>{mode === 'extension' ? 'Ask for an extension' : mode === 'counter' ? 'Counter-propose a date' : 'Propose a date'}</h3>
          <Field label="Date and time" required>
            {(ids) => <input {...ids} type="datetime-local" value={local} onChange={(e) => setLocal(e.target.value)} />}
          </Field>
          <Field label="Timezone" hint="An IANA name such as Europe/Berlin; the date is shown to the reporter in it.">
            {(ids) => <input {...ids} value={timezone} onChange={(e) => setTimezone(e.target.value)} />}
          </Field>
          <Field label={mode === 'extension' ? 'Reason for the extension' : 'Reason (optional)'} required={mode === 'extension'}>
            {(ids) => <textarea {...ids} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />}
          </Field>
          <button type="submit" disabled={busy || !local}>{mode === 'extension' ? 'Ask for the extension' : 'Propose'}</button>
        </form>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
