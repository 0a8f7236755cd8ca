import { useState, type FormEvent } from 'react';
import type { Me } from '../../../api/me.ts';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { CwePicker } from '../shared/CwePicker.tsx';
import { memberName, severities, type Member, type TeamReport } from '../shared/types.ts';
import { useReportAction } from './useReportAction.ts';

/** Assignee, labels, CWE ids and a severity override: each saved on its own through PATCH …/assessment. */
export function AssessmentPanel({ report, members, me }: { report: TeamReport; members: Member[]; me: Me }) {
  const { run, error, busy } = useReportAction(report.id);
  const patch = (body: object) => run(() => api(`/api/v1/reports/${report.id}/assessment`, { method: 'PATCH', body }));
  const assignable = members.filter((m) => m.role !== 'viewer');
  if (me.role !== 'member' && !assignable.some((m) => m.userId === me.id)) assignable.push({ userId: me.id, email: me.email, displayName: me.displayName, role: 'project_admin' });
  const { assessment } = report;
  return (
    <section aria-labelledby="assessment-title" className="card">
      <h2 id="assessment-title">Assessment</h2>
      <Field label="Assignee">
        {(ids) => (
          <select {...ids} value={assessment.assigneeId ?? ''} disabled={busy} onChange={(e) => patch({ assigneeId: e.target.value || null })}>
            <option value="">Unassigned</option>
            {assessment.assigneeId && !assignable.some((m) => m.userId === assessment.assigneeId) && <option value={assessment.assigneeId}>Someone outside this list</option>}
            {assignable.map((m) => <option key={m.userId} value={m.userId}>{memberName(m)}{m.userId === me.id ? ' (you)' : ''}</option>)}
          </select>
        )}
      </Field>
      <ChipEditor label="Labels" items={assessment.labels} hint="Up to 20, at most 40 characters each." busy={busy} onChange={(labels) => patch({ labels })} />
      <CwePicker items={assessment.cweIds} busy={busy} onChange={(cweIds) => patch({ cweIds })} />
      <SeverityOverride report={report} busy={busy} onSave={(severityOverride) => patch({ severityOverride })} />
      <ErrorMessage error={error} />
    </section>
  );
}

function ChipEditor(props: { label: string; items: string[]; hint: string; busy: boolean; onChange: (items: string[]) => Promise<boolean> }) {
  const [text, setText] = useState('');
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value || props.items.includes(value)) return;
    if (await props.onChange([...props.items, value])) setText('');
  };
  return (
    <form onSubmit={add}>
      <h3>{props.label}</h3>
      {props.items.length > 0 ? (
        <ul className="chips">
          {props.items.map((item) => (
            <li key={item}>
              <span className="label">{item}</span>
              <button type="button" className="link-button" disabled={props.busy} aria-label={`Remove ${item}`} onClick={() => props.onChange(props.items.filter((i) => i !== item))}>×</button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">None yet.</p>
      )}
      <div className="inline-form">
        <Field label="Add a label" hint={props.hint}>
          {(ids) => <input {...ids} value={text} onChange={(e) => setText(e.target.value)} maxLength={40} />}
        </Field>
        <button type="submit" className="secondary" disabled={props.busy}>Add</button>
      </div>
    </form>
  );
}

function SeverityOverride({ report, busy, onSave }: { report: TeamReport; busy: boolean; onSave: (value: { severity: string; reason: string } | null) => void }) {
  const overridden = report.assessment.severityOverrideReason !== null;
  const [severity, setSeverity] = useState(report.assessment.severity ?? 'medium');
  const [reason, setReason] = useState(report.assessment.severityOverrideReason ?? '');
  return (
    <details>
      <summary>Severity override{overridden ? ' (in force)' : ''}</summary>
      <p className="hint">The severity normally follows the CVSS score (4.0 when given). Override it only with a reason; it moves the fix deadline.</p>
      <Field label="Severity">
        {(ids) => (
          <select {...ids} value={severity} onChange={(e) => setSeverity(e.target.value as typeof severity)}>
            {severities.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        )}
      </Field>
      <Field label="Reason for the override">
        {(ids) => <textarea {...ids} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />}
      </Field>
      <div className="actions">
        <button type="button" disabled={busy || !reason.trim()} onClick={() => onSave({ severity, reason: reason.trim() })}>Override severity</button>
        {overridden && <button type="button" className="secondary" disabled={busy} onClick={() => onSave(null)}>Follow the CVSS score again</button>}
      </div>
    </details>
  );
}
