import { useState, type FormEvent } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { words } from '../shared/format.ts';
import { resolutions, type TeamReport } from '../shared/types.ts';
import { useReportAction } from './useReportAction.ts';

const simple: Record<string, string> = {
  acknowledge: 'Acknowledge',
  accept: 'Accept as a vulnerability',
  start_fix: 'Start the fix',
  mark_fixed: 'Mark fixed',
  disclose: 'Mark disclosed',
  provide_info: 'Information received',
};

/** Only the workflow steps the server says are valid in the current state; steps that need a reason open a small form. */
export function WorkflowActions({ report }: { report: TeamReport }) {
  const { run, error, busy } = useReportAction(report.id);
  const [form, setForm] = useState<'request_info' | 'close' | 'reopen' | null>(null);
  const act = (body: object) => run(() => api(`/api/v1/reports/${report.id}/actions`, { method: 'POST', body }));
  const offered = report.availableActions;
  return (
    <section aria-labelledby="workflow-title" className="card">
      <h2 id="workflow-title">State: {words(report.state)}</h2>
      {report.resolution && <p>Resolution: {words(report.resolution)}{report.duplicateOf ? ` (duplicate of ${report.duplicateOf})` : ''}</p>}
      {offered.length === 0 ? (
        <p className="hint">No workflow step is open in this state.</p>
      ) : (
        <div className="actions">
          {offered.filter((a) => simple[a]).map((action) => (
            <button key={action} type="button" disabled={busy} onClick={() => act({ type: action })}>{simple[action]}</button>
          ))}
          {offered.includes('request_info') && <button type="button" className="secondary" aria-expanded={form === 'request_info'} onClick={() => setForm(form === 'request_info' ? null : 'request_info')}>Ask the reporter…</button>}
          {offered.includes('close') && <button type="button" className="secondary" aria-expanded={form === 'close'} onClick={() => setForm(form === 'close' ? null : 'close')}>Close…</button>}
          {offered.includes('reopen') && <button type="button" className="secondary" aria-expanded={form === 'reopen'} onClick={() => setForm(form === 'reopen' ? null : 'reopen')}>Reopen…</button>}
        </div>
      )}
      {form && <StepForm kind={form} state={report.state} busy={busy} onSubmit={async (body) => (await act(body)) && setForm(null)} />}
      <ErrorMessage error={error} />
    </section>
  );
}

function StepForm({ kind, state, busy, onSubmit }: { kind: 'request_info' | 'close' | 'reopen'; state: string; busy: boolean; onSubmit: (body: object) => void }) {
  const allowed = resolutions.filter((r) => (state === 'disclosed' ? r === 'resolved' : r !== 'resolved'));
  const [resolution, setResolution] = useState<string>(allowed[0]!);
  const [duplicateOf, setDuplicateOf] = useState('');
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'close') onSubmit({ type: 'close', resolution, ...(resolution === 'duplicate' ? { duplicateOf: duplicateOf.trim() } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) });
    else onSubmit({ type: kind, reason: reason.trim() });
  };
  return (
    <form onSubmit={submit} className="stack">
      {kind === 'close' && (
        <Field label="Resolution" required>
          {(ids) => (
            <select {...ids} value={resolution} onChange={(e) => setResolution(e.target.value)}>
              {allowed.map((r) => <option key={r} value={r}>{words(r)}</option>)}
            </select>
          )}
        </Field>
      )}
      {kind === 'close' && resolution === 'duplicate' && (
        <Field label="Duplicate of" hint="The original report's id, e.g. PAYQI-2026-0003." required>
          {(ids) => <input {...ids} value={duplicateOf} onChange={(e) => setDuplicateOf(e.target.value)} />}
        </Field>
      )}
      <Field label={kind === 'request_info' ? 'What do you need from the reporter?' : kind === 'reopen' ? 'Why reopen?' : 'Reason (optional)'} required={kind !== 'close'}>
        {(ids) => <textarea {...ids} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />}
      </Field>
      <div><button type="submit" disabled={busy}>{kind === 'request_info' ? 'Send the request' : kind === 'reopen' ? 'Reopen' : 'Close the report'}</button></div>
    </form>
  );
}
