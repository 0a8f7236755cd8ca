import { useState } from 'react';
import { Field } from '../../../ui/Field.tsx';
import type { TeamAdvisory } from './model.ts';
import { formatDateTime } from '../shared/format.ts';

export interface LifecycleHandlers {
  save: (revisionSummary?: string) => Promise<void>;
  schedule: (at: string) => Promise<void>;
  unschedule: () => Promise<void>;
  publish: () => Promise<void>;
  withdraw: (reason: string) => Promise<void>;
}

/** The steps open to the advisory in its state: draft → scheduled → published → withdrawn. */
export function LifecycleActions({ view, busy, handlers }: { view: TeamAdvisory; busy: boolean; handlers: LifecycleHandlers }) {
  const [at, setAt] = useState('');
  const [changeNote, setChangeNote] = useState('');
  const [reason, setReason] = useState('');
  const { state } = view.advisory;

  if (state === 'withdrawn') {
    return <p className="warning">Withdrawn on {formatDateTime(view.advisory.withdrawn!.at)}: {view.advisory.withdrawn!.reason}. A withdrawn advisory cannot change.</p>;
  }
  if (state === 'published') {
    return (
      <>
        <form className="card" onSubmit={(e) => { e.preventDefault(); void handlers.save(changeNote).then(() => setChangeNote('')); }}>
          <h2>Update the published advisory</h2>
          <p className="hint">Each change to a published advisory is a numbered revision that says what changed.</p>
          <Field label="Change note" required>
            {(ids) => <textarea {...ids} className="short" value={changeNote} maxLength={1000} onChange={(e) => setChangeNote(e.target.value)} />}
          </Field>
          <button type="submit" disabled={busy}>Publish update</button>
        </form>
        <form className="card" onSubmit={(e) => { e.preventDefault(); void handlers.withdraw(reason); }}>
          <h2>Withdraw</h2>
          <p className="hint">The advisory stays public, marked withdrawn with your reason; a CVE record becomes REJECTED.</p>
          <Field label="Reason for withdrawal" required>
            {(ids) => <textarea {...ids} className="short" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <button type="submit" className="danger" disabled={busy}>Withdraw advisory</button>
        </form>
      </>
    );
  }
  return (
    <div className="card">
      <h2>Publication</h2>
      {state === 'scheduled' && view.scheduledAt && <p className="notice" role="status">Scheduled for {formatDateTime(view.scheduledAt)}.</p>}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void handlers.save()}>Save draft</button>
        <button type="button" disabled={busy} onClick={() => void handlers.publish()}>Publish now</button>
        {state === 'scheduled' && <button type="button" className="secondary" disabled={busy} onClick={() => void handlers.unschedule()}>Unschedule</button>}
      </div>
      <form onSubmit={(e) => { e.preventDefault(); void handlers.schedule(at); }}>
        <Field label="Publish at" hint="Your local time. Leave empty for the agreed disclosure date of the linked reports.">
          {(ids) => <input {...ids} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />}
        </Field>
        <button type="submit" className="secondary" disabled={busy}>Save and schedule</button>
      </form>
    </div>
  );
}
