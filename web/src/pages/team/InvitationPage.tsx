import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { Field } from '../../ui/Field.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Problem } from './shared/Problem.tsx';
import { useFragmentToken } from './shared/useFragmentToken.ts';
import '../../styles/team.css';

/** Accepting an invitation: the link's token (from the URL fragment) plus a password of the invitee's choosing. */
export default function InvitationPage() {
  const token = useFragmentToken();
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [accepted, setAccepted] = useState<{ email: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm || !token) return;
    setBusy(true);
    setError(null);
    try {
      const body = { token, password, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) };
      setAccepted(await api<{ email: string }>('/api/v1/invitations/accept', { method: 'POST', body }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const passwordError = error instanceof ApiError ? error.fieldMessage('body.password') : undefined;
  return (
    <section className="narrow">
      <PageTitle>Join the security team</PageTitle>
      {accepted ? (
        <div className="success" role="status">
          <p>Welcome aboard. Your account <strong>{accepted.email}</strong> is ready.</p>
          <p><Link to="/login">Sign in</Link> to get started.</p>
        </div>
      ) : !token ? (
        <div className="error" role="alert">
          <p>This page needs the link from your invitation email. Open the link exactly as it was sent; if it has expired, ask whoever invited you for a new one.</p>
        </div>
      ) : (
        <>
          <p>Choose the password for your new account. Long passphrases are best: at least 12 characters, nothing commonly used, not your email.</p>
          <Problem error={passwordError ? null : error} />
          <form onSubmit={submit} noValidate className="card">
            <Field label="Your name" hint="Shown to your team, never to reporters.">
              {(ids) => <input {...ids} autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
            </Field>
            <Field label="Password" required error={passwordError}>
              {(ids) => <input {...ids} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
            </Field>
            <Field label="Password again" required error={mismatch ? 'The two passwords differ.' : undefined}>
              {(ids) => <input {...ids} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
            </Field>
            <div className="actions"><button type="submit" disabled={busy}>Create my account</button></div>
          </form>
        </>
      )}
    </section>
  );
}
