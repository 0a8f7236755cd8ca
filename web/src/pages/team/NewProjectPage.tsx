import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { useMe } from '../../api/me.ts';
import { Field } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { seedPolicies } from './seed-policies.ts';
import '../../styles/public.css';

/** Where a lint message says the problem is: the parser appends "(line N, column M)". */
function positionOf(message: string): { line: number; column: number } | undefined {
  const match = /\(line (\d+), column (\d+)\)$/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/**
 * A new project from its policy file: paste YAML or start from one of the
 * seed examples. The server is the only validator (the same parser as
 * `embargo policy lint`); its problems are listed with their field paths and
 * a button that puts the cursor on the line.
 */
export default function NewProjectPage() {
  const me = useMe();
  const navigate = useNavigate();
  const [yaml, setYaml] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const project = await api<{ slug: string }>('/api/v1/projects', { method: 'POST', body: { policy: yaml } });
      navigate(`/p/${project.slug}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const goTo = (position: { line: number; column: number }) => {
    const textarea = editor.current;
    if (!textarea) return;
    const lines = yaml.split('\n');
    const offset = lines.slice(0, position.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + position.column - 1;
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
  };

  if (me.isPending) return <Loading what="Checking your sign-in" />;
  if (!me.data) {
    return (
      <section>
        <PageTitle>New project</PageTitle>
        <p className="notice">Only the organisation's owners and admins create projects. <Link to="/login">Sign in</Link> first.</p>
      </section>
    );
  }

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section>
      <PageTitle>New project</PageTitle>
      <p>
        A project is created from its security policy: one YAML file that says how to report, what is in scope, which versions are supported
        and how fast the team answers. Embargo publishes SECURITY.md and security.txt from it and runs its clocks on it.
      </p>
      {me.data.mfaRequired && !me.data.mfaEnabled && (
        <p className="warning">
          Your role requires two-factor authentication before you can create a project. <Link to="/account">Set it up on your account page</Link>.
        </p>
      )}
      <form onSubmit={submit}>
        <fieldset>
          <legend>Start from an example</legend>
          <p className="hint">Each example is a real project's SECURITY.md written as a policy. Its security.txt expiry is set to six months from today.</p>
          <div className="actions">
            {seedPolicies.map((seed) => (
              <button key={seed.name} type="button" className="secondary" onClick={() => { setYaml(seed.text()); setError(null); }}>
                {seed.label}
              </button>
            ))}
          </div>
        </fieldset>
        <Field label="Policy (YAML)" hint={<>Format reference: docs/POLICY.md in the Embargo repository. Check it from the command line with <code>embargo policy lint</code>.</>} required>
          {(ids) => (
            <textarea {...ids} ref={editor} className="code policy-editor" name="policy" spellCheck={false} value={yaml} onChange={(e) => setYaml(e.target.value)} />
          )}
        </Field>
        {apiError && apiError.details.length > 0 ? (
          <div className="error" role="alert">
            <p>{apiError.message}</p>
            <ul aria-label="Problems in the policy">
              {apiError.details.map((detail) => {
                const position = positionOf(detail.message);
                return (
                  <li key={`${detail.path}:${detail.message}`}>
                    <code>{detail.path}</code>: {detail.message}{' '}
                    {position && (
                      <button type="button" className="link-button" onClick={() => goTo(position)}>
                        Go to line {position.line}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
            {apiError.code === 'mfa_enrolment_required' && <p><Link to="/account">Set up two-factor authentication</Link>.</p>}
          </div>
        ) : (
          error !== null && (
            <div className="error" role="alert">
              <p>{error instanceof Error ? error.message : String(error)}</p>
              {apiError?.code === 'mfa_enrolment_required' && <p><Link to="/account">Set up two-factor authentication</Link>.</p>}
            </div>
          )
        )}
        <div className="actions">
          <button type="submit" disabled={busy || yaml.trim() === ''}>{busy ? 'Checking the policy…' : 'Create the project'}</button>
        </div>
      </form>
    </section>
  );
}
