import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../../api/client.ts';
import { CopyButton } from '../../../ui/CopyButton.tsx';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { formatDateTime } from '../shared/format.ts';

/** The scopes an API token can carry (src/domain/access/scopes.ts); account management has none on purpose. */
const scopes = ['projects:read', 'projects:write', 'reports:read', 'reports:write', 'advisories:read', 'advisories:write', 'users:read', 'users:write', 'audit:read'] as const;

interface TokenView {
  id: string;
  name: string;
  scopes: string[];
  projectId: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** Personal API tokens for the CLI and integrations: scoped, optionally limited to one project, shown once. */
export function TokensSection() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['account', 'tokens'], queryFn: () => api<{ tokens: TokenView[] }>('/api/v1/account/tokens') });
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api<{ projects: Array<{ slug: string; name: string }> }>('/api/v1/projects') });
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>(['reports:read']);
  const [projectSlug, setProject] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['account', 'tokens'] });
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body = { name: name.trim(), scopes: chosen, ...(projectSlug ? { projectSlug } : {}), ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}) };
      const made = await api<{ name: string; token: string }>('/api/v1/account/tokens', { method: 'POST', body });
      setCreated(made);
      setName('');
      await refresh();
    } catch (caught) {
      setError(caught);
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api(`/api/v1/account/tokens/${id}`, { method: 'DELETE' });
      await refresh();
    } catch (caught) {
      setError(caught);
    }
  };
  const field = (path: string) => (error instanceof ApiError ? error.fieldMessage(path) : undefined);
  return (
    <section aria-labelledby="tokens-title" className="card">
      <h2 id="tokens-title">API tokens</h2>
      {created && (
        <div className="card shown-once" role="region" aria-labelledby="new-token-title">
          <h3 id="new-token-title">New token “{created.name}”</h3>
          <p><strong>Shown only now.</strong> Copy it into your tool's secret store; Embargo keeps only a hash.</p>
          <p className="secret" data-testid="new-token">{created.token}</p>
          <div className="actions">
            <CopyButton text={created.token} label="Copy the token" />
            <button type="button" onClick={() => setCreated(null)}>Done</button>
          </div>
        </div>
      )}
      <ErrorMessage error={tokens.error ?? error} />
      {tokens.data && tokens.data.tokens.length === 0 && <p className="hint">No tokens.</p>}
      {tokens.data && tokens.data.tokens.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span className="visually-hidden">Action</span></th></tr></thead>
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}{t.projectId && <div className="hint">one project only</div>}</td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</td>
                  <td>{t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</td>
                  <td><button type="button" className="secondary" onClick={() => revoke(t.id)} aria-label={`Revoke ${t.name}`}>Revoke</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form onSubmit={create}>
        <h3>Create a token</h3>
        <Field label="Token name" hint="What uses it, e.g. “CI export”." required error={field('body.name')}>
          {(ids) => <input {...ids} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />}
        </Field>
        <fieldset>
          <legend>Scopes</legend>
          <div className="filter-grid">
            {scopes.map((scope) => (
              <label key={scope} className="radio">
                <input type="checkbox" checked={chosen.includes(scope)} onChange={(e) => setChosen(e.target.checked ? [...chosen, scope] : chosen.filter((s) => s !== scope))} /> {scope}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Limit to one project" hint="Leave empty for every project you can see.">
          {(ids) => (
            <select {...ids} value={projectSlug} onChange={(e) => setProject(e.target.value)}>
              <option value="">All my projects</option>
              {projects.data?.projects.map((p) => <option key={p.slug} value={p.slug}>{p.name}</option>)}
            </select>
          )}
        </Field>
        <Field label="Expires on (optional)">
          {(ids) => <input {...ids} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />}
        </Field>
        <button type="submit" disabled={chosen.length === 0}>Create token</button>
      </form>
    </section>
  );
}
