import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, session } from '../../api/client.ts';
import { Field } from '../../ui/Field.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { Problem } from './shared/Problem.tsx';
import { safeReturnPath } from './shared/SignedIn.tsx';
import '../../styles/team.css';

type LoginAnswer = { kind: 'mfa_required'; challenge: string; expiresAt: string } | { kind: 'browser'; csrfToken: string; expiresAt: string };

/** Team sign-in: email and password, then (when enrolled) a code from the authenticator app or a recovery code. */
export default function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const finish = async (answer: LoginAnswer) => {
    if (answer.kind === 'mfa_required') {
      setChallenge(answer.challenge);
      setPassword('');
      return;
    }
    session.setCsrfToken(answer.csrfToken);
    await queryClient.invalidateQueries({ queryKey: ['me'] });
    navigate(safeReturnPath(params.get('next')), { replace: true });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (challenge === null) await finish(await api<LoginAnswer>('/api/v1/auth/login', { method: 'POST', body: { email, password, mode: 'browser' } }));
      else {
        const body = useRecovery ? { challenge, recoveryCode: code.trim() } : { challenge, code: code.replace(/\s+/g, '') };
        await finish(await api<LoginAnswer>('/api/v1/auth/login/mfa', { method: 'POST', body }));
      }
    } catch (caught) {
      setError(caught);
      if (caught && typeof caught === 'object' && 'code' in caught && caught.code === 'session_expired') {
        setChallenge(null);
        setCode('');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <PageTitle>Team sign-in</PageTitle>
      <Problem error={error} />
      <form onSubmit={submit} noValidate className="card">
        {challenge === null ? (
          <>
            <Field label="Email" required>
              {(ids) => <input {...ids} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />}
            </Field>
            <Field label="Password" required>
              {(ids) => <input {...ids} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
            </Field>
          </>
        ) : (
          <>
            <p>Your account is protected by a second factor.</p>
            {useRecovery ? (
              <Field label="Recovery code" hint="One of the codes you saved when you set up two-factor sign-in. Each works once." required>
                {(ids) => <input {...ids} autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} autoFocus />}
              </Field>
            ) : (
              <Field label="Authentication code" hint="The 6-digit code your authenticator app shows for Embargo." required>
                {(ids) => <input {...ids} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" value={code} onChange={(e) => setCode(e.target.value)} autoFocus />}
              </Field>
            )}
            <button type="button" className="link-button" onClick={() => { setUseRecovery(!useRecovery); setCode(''); }}>
              {useRecovery ? 'Use a code from the authenticator app instead' : 'Use a recovery code instead'}
            </button>
          </>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>{challenge === null ? 'Sign in' : 'Verify and sign in'}</button>
          {challenge !== null && <button type="button" className="secondary" onClick={() => { setChallenge(null); setCode(''); setError(null); }}>Start again</button>}
        </div>
      </form>
      <p><Link to="/reset-password">Forgot your password?</Link></p>
      <p className="hint">Reporting a vulnerability? You don't need an account: choose the project on the <Link to="/">projects page</Link>.</p>
    </section>
  );
}
