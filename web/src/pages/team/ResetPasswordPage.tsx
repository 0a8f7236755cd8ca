import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { Field } from '../../ui/Field.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Problem } from './shared/Problem.tsx';
import { useFragmentToken } from './shared/useFragmentToken.ts';
import '../../styles/team.css';

/** Without a token: ask for a reset link. With the link's token (URL fragment): choose a new password. */
export default function ResetPasswordPage() {
  const token = useFragmentToken();
  return (
    <section className="narrow">
      <PageTitle>Reset your password</PageTitle>
      {token ? <ChooseNewPassword token={token} /> : <RequestLink />}
    </section>
  );
}

function RequestLink() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api('/api/v1/auth/password-reset', { method: 'POST', body: { email } });
      setSent(true);
    } catch (caught) {
      setError(caught);
    }
  };
  if (sent) return <div className="success" role="status"><p>If an account uses {email}, a reset link is on its way. It works once and expires soon.</p></div>;
  return (
    <>
      <Problem error={error} />
      <form onSubmit={submit} noValidate className="card">
        <Field label="Email" required error={error instanceof ApiError ? error.fieldMessage('body.email') : undefined}>
          {(ids) => <input {...ids} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <div className="actions"><button type="submit">Send me a reset link</button></div>
      </form>
    </>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const [newPassword, setNewPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const second = code.trim() ? (useRecovery ? { recoveryCode: code.trim() } : { code: code.replace(/\s+/g, '') }) : {};
    try {
      await api('/api/v1/auth/password-reset/confirm', { method: 'POST', body: { token, newPassword, ...second } });
      setDone(true);
    } catch (caught) {
      setError(caught);
    }
  };
  if (done) return <div className="success" role="status"><p>Your password is changed and your other sessions are signed out. <Link to="/login">Sign in</Link> with the new one.</p></div>;
  const passwordError = error instanceof ApiError ? error.fieldMessage('body.newPassword') : undefined;
  return (
    <>
      <Problem error={passwordError ? null : error} />
      <form onSubmit={submit} noValidate className="card">
        <Field label="New password" hint="At least 12 characters; a passphrase is best." required error={passwordError}>
          {(ids) => <input {...ids} type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />}
        </Field>
        <Field label={useRecovery ? 'Recovery code' : 'Authentication code'} hint="Only if your account uses two-factor sign-in.">
          {(ids) => <input {...ids} autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />}
        </Field>
        <button type="button" className="link-button" onClick={() => setUseRecovery(!useRecovery)}>{useRecovery ? 'Use an authenticator code instead' : 'Use a recovery code instead'}</button>
        <div className="actions"><button type="submit">Set the new password</button></div>
      </form>
    </>
  );
}
