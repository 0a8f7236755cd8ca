import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, apiText } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { placeProblems } from './yaml-lines.ts';
import { formatDateTime } from '../shared/format.ts';

interface Revision {
  revision: number;
  createdAt: string;
  createdBy: string | null;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The policy file, linted and previewed as you type by the server (one implementation of both), saved as a new revision. */
export function PolicySection({ slug }: { slug: string }) {
  const saved = useQuery({ queryKey: ['policy-yaml', slug], queryFn: () => apiText(`/api/v1/projects/${slug}/policy.yaml`) });
  if (saved.isPending) return <Loading what="Loading the policy" />;
  if (saved.error) return <ErrorMessage error={saved.error} />;
  return <PolicyEditor slug={slug} initial={saved.data} />;
}

function PolicyEditor({ slug, initial }: { slug: string; initial: string }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(initial);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);
  const checked = useDebounced(text, 400);
  const preview = useQuery({
    queryKey: ['policy-preview', slug, checked],
    queryFn: ({ signal }) => api<{ securityMd: string; securityTxt: string }>(`/api/v1/projects/${slug}/policy/preview`, { method: 'POST', body: { policy: checked }, signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const revisions = useQuery({ queryKey: ['policy-revisions', slug], queryFn: () => api<{ revisions: Revision[] }>(`/api/v1/projects/${slug}/policy/revisions`) });
  const save = useMutation({
    mutationFn: () => api<{ policyRevision: number }>(`/api/v1/projects/${slug}/policy`, { method: 'PUT', body: { policy: text } }),
    onSuccess: () => {
      queryClient.setQueryData(['policy-yaml', slug], text);
      void queryClient.invalidateQueries({ queryKey: ['policy-revisions', slug] });
    },
  });

  // Problems of the text that was checked, placed at their lines in it.
  const lintError = preview.error instanceof ApiError && preview.error.code === 'invalid_policy' ? preview.error : undefined;
  const problems = useMemo(() => (lintError ? placeProblems(checked, lintError.details) : []), [lintError, checked]);
  const problemLines = new Set(problems.map((p) => p.line));
  const lineCount = text.split('\n').length;
  const shown = lintError ? undefined : preview.data;

  const goToLine = (line: number) => {
    const element = textarea.current;
    if (!element) return;
    const start = text.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
    element.focus();
    element.setSelectionRange(start, start);
  };

  return (
    <div className="settings-policy">
      <div className="columns">
        <div>
          <label htmlFor="policy-yaml" className="settings-label">Policy file (YAML)</label>
          <p id="policy-hint" className="hint">Checked as you type. Saving adds a revision; SECURITY.md and security.txt follow it at once.</p>
          <div className="code-editor">
            <pre className="code-gutter" ref={gutter} aria-hidden="true">
              {Array.from({ length: lineCount }, (_, i) => (
                <span key={i} className={problemLines.has(i + 1) ? 'gutter-error' : undefined}>{i + 1}{'\n'}</span>
              ))}
            </pre>
            <textarea
              id="policy-yaml"
              ref={textarea}
              className="code"
              wrap="off"
              spellCheck={false}
              value={text}
              aria-describedby="policy-hint policy-problems"
              aria-invalid={problems.length > 0}
              onChange={(e) => setText(e.target.value)}
              onScroll={(e) => {
                if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
              }}
            />
          </div>
          <div id="policy-problems" role="status" aria-live="polite">
            {problems.length > 0 ? (
              <div className="error">
                <p>{problems.length} problem{problems.length === 1 ? '' : 's'} in the policy:</p>
                <ul className="lint-list">
                  {problems.map((p) => (
                    <li key={`${p.path}:${p.message}`}>
                      {p.line !== undefined ? <button type="button" className="link-button" onClick={() => goToLine(p.line!)}>Line {p.line}</button> : <span>Policy</span>}
                      : <code>{p.path}</code> {p.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : preview.data && !preview.isFetching ? (
              <p className="hint">No problems found.</p>
            ) : null}
          </div>
          {preview.error && !lintError ? <ErrorMessage error={preview.error} /> : null}
          <ErrorMessage error={save.error} />
          {save.isSuccess && <p className="success" role="status">Saved as revision {save.data.policyRevision}.</p>}
          <div className="actions">
            <button type="button" disabled={save.isPending || text === initial} onClick={() => save.mutate()}>Save policy</button>
            <button type="button" className="secondary" disabled={text === initial} onClick={() => setText(initial)}>Discard changes</button>
          </div>
        </div>
        <div className="settings-previews">
          <h3>SECURITY.md preview</h3>
          <pre className="document-preview" aria-label="SECURITY.md preview" tabIndex={0}>{shown?.securityMd ?? (lintError ? 'Fix the problems to see the preview.' : '…')}</pre>
          <h3>security.txt preview</h3>
          <pre className="document-preview" aria-label="security.txt preview" tabIndex={0}>{shown?.securityTxt ?? (lintError ? 'Fix the problems to see the preview.' : '…')}</pre>
        </div>
      </div>
      <h3>Revisions</h3>
      {revisions.data ? (
        <ol className="revision-list" reversed>
          {[...revisions.data.revisions].reverse().map((r) => (
            <li key={r.revision} value={r.revision}>Revision {r.revision}, {formatDateTime(r.createdAt)}{r.createdBy ? '' : ' (command line)'}</li>
          ))}
        </ol>
      ) : <ErrorMessage error={revisions.error} />}
    </div>
  );
}
