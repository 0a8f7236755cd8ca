import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError, session, takeFragmentToken } from '../../api/client.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Field } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { formatBytes } from '../shared/project.ts';
import { StatusTimeline } from './StatusTimeline.tsx';
import '../../styles/public.css';

interface Attachment {
  id: string;
  filename: string;
  size: number;
  uploadedBy: 'reporter' | 'team';
  messageId: string | null;
}

interface PortalReport {
  humanId: string;
  status: string;
  receivedAt: string;
  title: string;
  versionStatus: string;
  credit: { mode: 'named' | 'anonymous' | 'none'; name: string | null };
  contact: { email: string | null; hasPublicKey: boolean } | null;
  messages: { id: string; author: 'you' | 'team' | 'system'; body: string; html: string; createdAt: string; attachments: Attachment[] }[];
  attachments: Attachment[];
}

interface Proposal {
  id: string;
  proposedBy: 'team' | 'reporter';
  kind: string;
  discloseAt: string;
  timezone: string;
  reason: string | null;
  status: 'open' | 'accepted' | 'rejected' | 'superseded';
  proposedAt: string;
}

interface Disclosure {
  agreed: { at: string; timezone: string | null } | null;
  proposals: Proposal[];
}

/** Read once per page load: the fragment is cleared from the address bar at the first read. */
let fromFragment: string | null | undefined;
function initialToken(): string | null {
  fromFragment ??= takeFragmentToken();
  if (fromFragment) session.setPortalToken(fromFragment);
  return session.portalToken();
}

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The reporter's own view of their report, opened with the follow-up token
 * (from the link's `#token=`, kept in this tab's sessionStorage, or pasted).
 * Every request carries the token as a bearer; no URL ever does.
 */
export default function PortalPage() {
  const [token, setToken] = useState<string | null>(initialToken);
  const queryClient = useQueryClient();
  const forget = () => {
    session.setPortalToken(null);
    queryClient.removeQueries({ queryKey: ['portal'] });
    setToken(null);
  };
  if (!token) return <TokenForm onToken={(t) => { session.setPortalToken(t); setToken(t); }} />;
  return <Portal token={token} onForget={forget} onRotated={(t) => { session.setPortalToken(t); setToken(t); }} />;
}

function TokenForm({ onToken, problem }: { onToken: (token: string) => void; problem?: unknown }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    if (value) onToken(value);
  };
  return (
    <section className="narrow">
      <PageTitle>Follow your report</PageTitle>
      <p>Open the private link you got when you sent your report, or paste its follow-up token here.</p>
      <ErrorMessage error={problem} />
      <form onSubmit={submit}>
        <Field label="Follow-up token" hint="It starts with emb_rep_.">
          {(ids) => <input {...ids} name="token" autoComplete="off" spellCheck={false} />}
        </Field>
        <div className="actions"><button type="submit">Open the report</button></div>
      </form>
    </section>
  );
}

function Portal({ token, onForget, onRotated }: { token: string; onForget: () => void; onRotated: (token: string) => void }) {
  const report = useQuery({ queryKey: ['portal', token, 'report'], queryFn: () => api<PortalReport>('/api/v1/portal/report', { bearer: token }) });
  const disclosure = useQuery({ queryKey: ['portal', token, 'disclosure'], queryFn: () => api<Disclosure>('/api/v1/portal/disclosure', { bearer: token }) });

  if (report.isPending) return <Loading what="Opening your report" />;
  if (report.error) {
    const refused = report.error instanceof ApiError && (report.error.status === 401 || report.error.status === 403);
    return refused ? (
      <TokenForm onToken={onRotated} problem={new Error('This link or token does not open a report. It may have been replaced by a newer one.')} />
    ) : (
      <section><PageTitle>Follow your report</PageTitle><ErrorMessage error={report.error} /></section>
    );
  }
  const data = report.data;
  return (
    <section>
      <PageTitle title={`Report ${data.humanId}`}>Report {data.humanId}</PageTitle>
      <p className="lead"><strong className="prose">{data.title}</strong></p>
      <p className="hint">Received {when(data.receivedAt)}. This page is private to you: keep the link to yourself.</p>
      <div className="columns">
        <div>
          <h2>Conversation with the team</h2>
          <Thread token={token} report={data} />
        </div>
        <aside aria-label="Status and settings">
          <h2>Status</h2>
          <StatusTimeline status={data.status} />
          <DisclosurePanel token={token} disclosure={disclosure.data} error={disclosure.error} />
          <CreditPanel token={token} credit={data.credit} />
          <AccessPanel token={token} onForget={onForget} onRotated={onRotated} />
        </aside>
      </div>
    </section>
  );
}

async function download(token: string, attachment: Attachment) {
  const response = await fetch(`/api/v1/portal/attachments/${attachment.id}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`the download failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function AttachmentList({ token, attachments }: { token: string; attachments: Attachment[] }) {
  const [error, setError] = useState<unknown>(null);
  if (attachments.length === 0) return null;
  return (
    <>
      <ul className="file-list" aria-label="Files">
        {attachments.map((a) => (
          <li key={a.id}>
            <button type="button" className="link-button" onClick={() => download(token, a).catch(setError)}>
              Download <span className="file-name">{a.filename}</span>
            </button>{' '}
            <span className="hint">{formatBytes(a.size)}</span>
          </li>
        ))}
      </ul>
      <ErrorMessage error={error} />
    </>
  );
}

function Thread({ token, report }: { token: string; report: PortalReport }) {
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const post = useMutation({
    mutationFn: async () => {
      if (files.length > 0) {
        const form = new FormData();
        if (text.trim()) form.append('message', text);
        for (const file of files) form.append('files', file, file.name);
        return api('/api/v1/portal/attachments', { method: 'POST', body: form, bearer: token });
      }
      return api('/api/v1/portal/messages', { method: 'POST', body: { body: text }, bearer: token });
    },
    onSuccess: async () => {
      setText('');
      setFiles([]);
      if (fileInput.current) fileInput.current.value = '';
      await queryClient.invalidateQueries({ queryKey: ['portal', token] });
    },
  });
  const initialFiles = report.attachments.filter((a) => a.messageId === null);
  return (
    <>
      {initialFiles.length > 0 && (
        <div className="card">
          <h3>Files sent with the report</h3>
          <AttachmentList token={token} attachments={initialFiles} />
        </div>
      )}
      {report.messages.length === 0 ? (
        <p className="notice">No messages yet. The team will write here; you will see their questions and can answer them.</p>
      ) : (
        <ol className="thread" aria-label="Messages">
          {report.messages.map((message) => (
            <li key={message.id} className={message.author === 'you' ? 'from-you' : undefined}>
              <p className="meta">
                <strong>{message.author === 'you' ? 'You' : message.author === 'team' ? 'Security team' : 'Embargo'}</strong> · {when(message.createdAt)}
              </p>
              {/* Sanitised on the server (src/formats/markdown-html.ts) before it reaches this page. */}
              <div className="message-body" dangerouslySetInnerHTML={{ __html: message.html }} />
              <AttachmentList token={token} attachments={message.attachments} />
            </li>
          ))}
        </ol>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (text.trim() || files.length > 0) post.mutate();
        }}
      >
        <Field label="Your message" hint="Markdown works. The team sees it at once.">
          {(ids) => <textarea {...ids} name="message" value={text} maxLength={50_000} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <label htmlFor="portal-files" className="file-label">Attach files</label>
        <input id="portal-files" ref={fileInput} type="file" multiple onChange={(e) => setFiles(Array.from(e.target.files ?? []))} />
        {files.length > 0 && <p className="hint">{files.length} {files.length === 1 ? 'file' : 'files'}, {formatBytes(files.reduce((s, f) => s + f.size, 0))}</p>}
        <ErrorMessage error={post.error} />
        <div className="actions">
          <button type="submit" disabled={post.isPending || (!text.trim() && files.length === 0)}>{post.isPending ? 'Sending…' : 'Send'}</button>
        </div>
        {post.isSuccess && <p role="status" className="hint">Sent.</p>}
      </form>
    </>
  );
}

function DisclosurePanel({ token, disclosure, error }: { token: string; disclosure: Disclosure | undefined; error: unknown }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['portal', token] });
  const answer = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'accept' | 'reject' }) => api(`/api/v1/portal/disclosure/proposals/${id}/answer`, { method: 'POST', body: { decision }, bearer: token }),
    onSuccess: refresh,
  });
  const propose = useMutation({
    mutationFn: (input: { date: string; reason: string }) =>
      api('/api/v1/portal/disclosure/proposals', {
        method: 'POST',
        bearer: token,
        body: { discloseAt: new Date(`${input.date}T00:00:00Z`).toISOString(), timezone: 'UTC', ...(input.reason.trim() ? { reason: input.reason.trim() } : {}) },
      }),
    onSuccess: refresh,
  });
  if (error) return <ErrorMessage error={error} />;
  if (!disclosure) return null;
  const open = disclosure.proposals.filter((p) => p.status === 'open');
  const fromTeam = open.filter((p) => p.proposedBy === 'team');
  return (
    <div className="card">
      <h3>Disclosure date</h3>
      {disclosure.agreed ? (
        <p>Agreed: details become public on <strong>{when(disclosure.agreed.at)}</strong>{disclosure.agreed.timezone ? ` (${disclosure.agreed.timezone})` : ''}.</p>
      ) : (
        <p>No date agreed yet.</p>
      )}
      {fromTeam.map((p) => (
        <div key={p.id} className="notice">
          <p>The team proposes <strong>{when(p.discloseAt)}</strong> ({p.timezone}).</p>
          {p.reason && <p className="prose">{p.reason}</p>}
          <div className="actions">
            <button type="button" onClick={() => answer.mutate({ id: p.id, decision: 'accept' })} disabled={answer.isPending}>Accept this date</button>
            <button type="button" className="secondary" onClick={() => answer.mutate({ id: p.id, decision: 'reject' })} disabled={answer.isPending}>Decline</button>
          </div>
        </div>
      ))}
      {open.filter((p) => p.proposedBy === 'reporter').map((p) => (
        <p key={p.id} className="hint">You proposed {when(p.discloseAt)}; waiting for the team.</p>
      ))}
      <ErrorMessage error={answer.error} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          propose.mutate({ date: String(form.get('date')), reason: String(form.get('reason') ?? '') });
        }}
      >
        <Field label={fromTeam.length > 0 ? 'Propose another date' : 'Propose a date'} required>
          {(ids) => <input {...ids} name="date" type="date" />}
        </Field>
        <Field label="Why this date (optional)">
          {(ids) => <textarea {...ids} name="reason" className="short" maxLength={2000} />}
        </Field>
        <ErrorMessage error={propose.error} />
        <button type="submit" className="secondary" disabled={propose.isPending}>Send the proposal</button>
      </form>
    </div>
  );
}

function CreditPanel({ token, credit }: { token: string; credit: PortalReport['credit'] }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState(credit.mode);
  const [name, setName] = useState(credit.name ?? '');
  const save = useMutation({
    mutationFn: () => api('/api/v1/portal/credit', { method: 'PUT', bearer: token, body: { mode, ...(mode === 'named' ? { name } : {}) } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['portal', token, 'report'] }),
  });
  return (
    <form className="card" onSubmit={(event) => { event.preventDefault(); save.mutate(); }}>
      <h3>Credit</h3>
      <fieldset>
        <legend>How should the advisory credit you?</legend>
        <label className="checkbox"><input type="radio" name="portal_credit" checked={mode === 'named'} onChange={() => setMode('named')} /> By name</label>
        <label className="checkbox"><input type="radio" name="portal_credit" checked={mode === 'anonymous'} onChange={() => setMode('anonymous')} /> As an anonymous reporter</label>
        <label className="checkbox"><input type="radio" name="portal_credit" checked={mode === 'none'} onChange={() => setMode('none')} /> Not at all</label>
      </fieldset>
      {mode === 'named' && (
        <Field label="Name or handle" required>
          {(ids) => <input {...ids} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />}
        </Field>
      )}
      <ErrorMessage error={save.error} />
      <button type="submit" className="secondary" disabled={save.isPending}>Save the credit choice</button>
      {save.isSuccess && <p role="status" className="hint">Saved.</p>}
    </form>
  );
}

function AccessPanel({ token, onForget, onRotated }: { token: string; onForget: () => void; onRotated: (token: string) => void }) {
  const [rotated, setRotated] = useState<{ followUpToken: string; followUpUrl: string } | null>(null);
  const rotate = useMutation({
    mutationFn: () => api<{ followUpToken: string; followUpUrl: string }>('/api/v1/portal/token/rotate', { method: 'POST', bearer: token }),
    onSuccess: (answer) => {
      // The old token is dead from now on: keep the new one for this tab at once, so a reload still opens the report.
      session.setPortalToken(answer.followUpToken);
      setRotated(answer);
    },
  });
  return (
    <div className="card">
      <h3>Your private link</h3>
      {rotated ? (
        <>
          <p className="warning"><strong>Your new link, shown only once.</strong> The old link no longer works. Keep this one safe.</p>
          <p className="secret-line"><a href={rotated.followUpUrl}>{rotated.followUpUrl}</a></p>
          <CopyButton text={rotated.followUpUrl} label="Copy the new link" />
          <div className="actions"><button type="button" onClick={() => onRotated(rotated.followUpToken)}>I have saved it</button></div>
        </>
      ) : (
        <>
          <p className="hint">If someone else may have seen your link, replace it: the old one stops working at once.</p>
          <ErrorMessage error={rotate.error} />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => rotate.mutate()} disabled={rotate.isPending}>Replace the link</button>
            <button type="button" className="secondary" onClick={onForget}>Forget it in this tab</button>
          </div>
        </>
      )}
    </div>
  );
}
