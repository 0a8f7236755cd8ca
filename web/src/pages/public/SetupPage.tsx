import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError, session, takeFragmentToken } from '../../api/client.ts';
import type { Me } from '../../api/me.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Field } from '../../ui/Field.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { CopyButton } from '../../ui/CopyButton.tsx';
import '../../styles/public.css';

interface SetupResult {
  owner: { id: string; email: string };
  organisation: { name: string };
  apiToken: string;
}

type Login = { kind: 'browser'; csrfToken: string } | { kind: 'mfa_required' };

/** Read once at module load: the fragment is removed from the address bar at the first read. */
let fragmentToken: string | null | undefined;
const setupToken = () => (fragmentToken ??= takeFragmentToken());

/**
 * First-owner setup from the link the server prints at its first start
 * (`/setup#token=…`; the fragment never reaches the server or its logs).
 * Creates the owner, shows the API token once, signs the owner in and points
 * at what comes next: two-factor enrolment when required, then a first project.
 */
export default function SetupPage() {
  const status = useQuery({ queryKey: ['setup-status'], queryFn: () => api<{ required: boolean }>('/api/v1/setup') });
  const [token, setToken] = useState(() => setupToken() ?? '');
  const [done, setDone] = useState<{ result: SetupResult; me: Me | null; signInError: unknown } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email'));
    const password = String(form.get('password'));
    const organisationName = String(form.get('organisationName') ?? '').trim();
    if (password !== String(form.get('confirm'))) {
      setError(new ApiError(400, 'validation_failed', 'The two passwords differ.', [{ path: 'body.password', message: 'the two passwords differ' }]));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api<SetupResult>('/api/v1/setup', { method: 'POST', body: { token: token.trim(), email, password, ...(organisationName ? { organisationName } : {}) } });
      let me: Me | null = null;
      let signInError: unknown = null;
      try {
        const login = await api<Login>('/api/v1/auth/login', { method: 'POST', body: { email, password, mode: 'browser' } });
        if (login.kind === 'browser') {
          session.setCsrfToken(login.csrfToken);
          me = await api<Me>('/api/v1/me');
        }
      } catch (e) {
        signInError = e;
      }
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      setDone({ result, me, signInError });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (done) return <SetupDone {...done} />;
  const fieldError = (path: string) => (error instanceof ApiError ? error.fieldMessage(path) : undefined);

  return (
    <section className="narrow">
      <PageTitle>Set up Embargo</PageTitle>
      {status.isPending && <Loading what="Checking this instance" />}
      {status.data && !status.data.required && (
        <p className="notice">
          This instance is already set up. <Link to="/login">Sign in</Link> instead.
        </p>
      )}
      {status.data?.required && (
        <>
          <p>Create the first owner account. The owner manages the organisation, its people and its projects.</p>
          <form onSubmit={submit} noValidate={false}>
            <Field label="Setup token" hint="Filled in from the link the server printed at its first start." error={fieldError('body.token')} required>
              {(ids) => <input {...ids} name="token" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />}
            </Field>
            <Field label="Organisation name" hint="Shown on advisories and in mails; you can change it later.">
              {(ids) => <input {...ids} name="organisationName" maxLength={200} autoComplete="organization" />}
            </Field>
            <Field label="Your email address" error={fieldError('body.email')} required>
              {(ids) => <input {...ids} name="email" type="email" autoComplete="email" maxLength={254} />}
            </Field>
            <Field label="Password" hint="At least 12 characters. A passphrase of several words is easy to remember." error={fieldError('body.password')} required>
              {(ids) => <input {...ids} name="password" type="password" autoComplete="new-password" minLength={12} maxLength={128} />}
            </Field>
            <Field label="Password again" required>
              {(ids) => <input {...ids} name="confirm" type="password" autoComplete="new-password" minLength={12} maxLength={128} />}
            </Field>
            <ErrorMessage error={error} />
            <div className="actions">
              <button type="submit" disabled={busy}>{busy ? 'Creating the owner…' : 'Create the owner account'}</button>
            </div>
          </form>
        </>
      )}
      <ErrorMessage error={status.error} />
    </section>
  );
}

function SetupDone({ result, me, signInError }: { result: SetupResult; me: Me | null; signInError: unknown }) {
  const needsMfa = me !== null && me.mfaRequired && !me.mfaEnabled;
  return (
    <section className="narrow">
      <PageTitle>Embargo is set up</PageTitle>
      <p className="success" role="status">
        The owner account <strong>{result.owner.email}</strong> of <strong>{result.organisation.name}</strong> is ready{me ? ' and you are signed in' : ''}.
      </p>
      <h2>Your API token</h2>
      <p>For the command line and integrations (<code>Authorization: Bearer …</code>).</p>
      <p className="warning"><strong>Copy it now: it is shown only this once.</strong> You can create more tokens later on your account page.</p>
      <pre className="secret" aria-label="API token">{result.apiToken}</pre>
      <CopyButton text={result.apiToken} label="Copy the API token" />
      <h2>Next steps</h2>
      {signInError ? (
        <>
          <ErrorMessage error={signInError} />
          <p><Link to="/login">Sign in</Link> with your new account.</p>
        </>
      ) : !me ? (
        <p>Your account uses two-factor authentication: <Link to="/login">sign in</Link> to continue.</p>
      ) : (
        <ol className="steps">
          {needsMfa && (
            <li>
              <strong>Turn on two-factor authentication.</strong> Owners and admins must use an authenticator app before they can change anything.{' '}
              <Link to="/account">Set it up on your account page</Link>.
            </li>
          )}
          <li>
            <Link className="button" to="/projects/new">Create your first project</Link> from its security policy.
          </li>
        </ol>
      )}
    </section>
  );
}
