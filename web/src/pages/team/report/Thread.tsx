import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { formatDateTime } from '../shared/format.ts';
import { memberName, type Attachment, type Member, type Message, type TeamReport } from '../shared/types.ts';
import { useReportAction } from './useReportAction.ts';

const kib = (size: number) => (size < 1024 ? `${size} B` : `${Math.round(size / 1024)} KiB`);

/** A download link: the server always answers `Content-Disposition: attachment` with a sandboxing CSP. */
export function AttachmentLink({ reportId, attachment }: { reportId: string; attachment: Attachment }) {
  return (
    <a href={`/api/v1/reports/${reportId}/attachments/${attachment.id}`} download={attachment.filename}>
      {attachment.filename}
      <span className="hint"> ({attachment.contentType}, {kib(attachment.size)})</span>
    </a>
  );
}

/** The conversation with the reporter and the team's internal notes, marked in colour, border and words. */
export function Thread({ report, members, canWrite }: { report: TeamReport; members: Map<string, Member>; canWrite: boolean }) {
  const author = (m: Message) => {
    if (m.authorType === 'reporter') return 'Reporter';
    if (m.authorType === 'system') return 'Embargo';
    const member = m.authorUserId ? members.get(m.authorUserId) : undefined;
    return member ? memberName(member) : 'Team';
  };
  return (
    <section aria-labelledby="thread-title">
      <h2 id="thread-title">Thread</h2>
      {report.messages.length === 0 && <p className="hint">No messages yet.</p>}
      <ol className="thread">
        {report.messages.map((m) => (
          <li key={m.id} className={`message ${m.visibility === 'internal' ? 'internal' : ''} ${m.authorType === 'system' ? 'system' : ''}`}>
            <header>
              <strong>{author(m)}</strong>
              <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
              {m.visibility === 'internal' && <span className="internal-label">Internal note — not visible to the reporter</span>}
              {m.encryptedToTeam && <span className="badge neutral">Encrypted to the team’s offline key</span>}
            </header>
            {m.encryptedToTeam ? (
              <pre>{m.body}</pre>
            ) : (
              // The server renders Markdown to sanitised HTML (src/formats/markdown-html.ts: allow-list, no scripts, safe links); only that HTML is inserted.
              <div className="message-body" dangerouslySetInnerHTML={{ __html: m.html }} />
            )}
            {m.attachments.length > 0 && (
              <ul>{m.attachments.map((a) => <li key={a.id}><AttachmentLink reportId={report.id} attachment={a} /></li>)}</ul>
            )}
          </li>
        ))}
      </ol>
      {canWrite && <Composer reportId={report.id} />}
    </section>
  );
}

function Composer({ reportId }: { reportId: string }) {
  const { run, error, busy } = useReportAction(reportId);
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<'reporter' | 'internal'>('reporter');
  const files = useRef<HTMLInputElement>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = [...(files.current?.files ?? [])];
    const ok = await run(async () => {
      if (chosen.length > 0) {
        const form = new FormData();
        if (body.trim()) form.append('message', body.trim());
        form.append('visibility', visibility);
        for (const file of chosen) form.append('files', file, file.name);
        await api(`/api/v1/reports/${reportId}/attachments`, { method: 'POST', body: form });
      } else {
        await api(`/api/v1/reports/${reportId}/messages`, { method: 'POST', body: { body, visibility } });
      }
    });
    if (ok) {
      setBody('');
      if (files.current) files.current.value = '';
    }
  };
  return (
    <form onSubmit={submit} className={`card composer ${visibility === 'internal' ? 'message internal' : ''}`}>
      <fieldset>
        <legend>Who sees it</legend>
        <label className="radio"><input type="radio" name="visibility" checked={visibility === 'reporter'} onChange={() => setVisibility('reporter')} /> Reply to the reporter</label>{' '}
        <label className="radio"><input type="radio" name="visibility" checked={visibility === 'internal'} onChange={() => setVisibility('internal')} /> Internal note (team only)</label>
      </fieldset>
      <Field label={visibility === 'internal' ? 'Internal note' : 'Message to the reporter'} hint="Markdown. The reporter is emailed a notice (with the text only if they gave an OpenPGP key).">
        {(ids) => <textarea {...ids} value={body} onChange={(e) => setBody(e.target.value)} maxLength={50_000} />}
      </Field>
      <Field label="Attach files (optional)">
        {(ids) => <input {...ids} ref={files} type="file" multiple />}
      </Field>
      <button type="submit" disabled={busy}>{visibility === 'internal' ? 'Add internal note' : 'Send to reporter'}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
