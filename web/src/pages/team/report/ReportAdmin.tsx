import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { CopyButton } from '../../../ui/CopyButton.tsx';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import type { TeamReport } from '../shared/types.ts';
import { useReportAction } from './useReportAction.ts';

/** Moving, spam and converting to a public issue; the irreversible one asks twice in the page (never a browser dialog). */
export function ReportAdmin({ report }: { report: TeamReport }) {
  const { run, error, busy } = useReportAction(report.id);
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api<{ projects: Array<{ slug: string; name: string }> }>('/api/v1/projects') });
  const [target, setTarget] = useState('');
  const [confirmConvert, setConfirmConvert] = useState(false);
  const [markdown, setMarkdown] = useState<string | null>(null);
  const others = (projects.data?.projects ?? []).filter((p) => p.slug !== report.project.slug);
  return (
    <section aria-labelledby="admin-title" className="card">
      <h2 id="admin-title">More actions</h2>
      <div className="inline-form">
        <Field label="Move to project" hint="The id, thread and history stay; clocks follow the new project's policy.">
          {(ids) => (
            <select {...ids} value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">Choose a project…</option>
              {others.map((p) => <option key={p.slug} value={p.slug}>{p.name}</option>)}
            </select>
          )}
        </Field>
        <button type="button" className="secondary" disabled={!target || busy} onClick={() => run(() => api(`/api/v1/reports/${report.id}/move`, { method: 'POST', body: { project: target } }))}>Move</button>
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => run(() => api(`/api/v1/reports/${report.id}/spam`, { method: 'POST', body: { spam: !report.spam } }))}>
          {report.spam ? 'Not spam' : 'Mark as spam'}
        </button>
        {!confirmConvert ? (
          <button type="button" className="secondary" disabled={busy || report.state === 'closed'} onClick={() => setConfirmConvert(true)}>Convert to a public issue…</button>
        ) : (
          <span className="warning">
            This closes the report as informative and tells the reporter its content will become public.{' '}
            <button type="button" className="danger" disabled={busy} onClick={() => run(async () => setMarkdown((await api<{ markdown: string }>(`/api/v1/reports/${report.id}/convert-to-public-issue`, { method: 'POST' })).markdown)).then(() => setConfirmConvert(false))}>Convert now</button>{' '}
            <button type="button" className="secondary" onClick={() => setConfirmConvert(false)}>Cancel</button>
          </span>
        )}
      </div>
      {markdown && (
        <div className="success">
          <p>Converted. Paste this into the public tracker (contact details left out):</p>
          <pre>{markdown}</pre>
          <CopyButton text={markdown} label="Copy the issue text" />
        </div>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
