import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../../api/client.ts';
import type { Me } from '../../../api/me.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { useProof } from './ReAuthFields.tsx';

/** Changing the password or the email address; both need the current password (and a code with MFA). */
export function CredentialsSection({ me }: { me: Me }) {
  return (
    <section aria-labelledby="credentials-title" className="card">
      <h2 id="credentials-title">Password and email</h2>
      <ChangePassword me={me} />
      <ChangeEmail me={me} />
    </section>
  );
}

function ChangePassword({ me }: { me: Me }) {
  const { proof, reset, fields } = useProof(me.mfaEnabled);
  const [newPassword, setNew] = useState('');
  const [endOthers, setEndOthers] = useState(true);
  const [done, setDone] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setDone((await api<{ endedSessions: number }>('/api/v1/account/password', { method: 'POST', body: { ...proof(), newPassword, endOtherSessions: endOthers } })).endedSessions);
      setNew('');
      reset();
    } catch (caught) {
      setError(caught);
    }
  };
  const newError = error instanceof ApiError ? error.fieldMessage('body.newPassword') : undefined;
  return (
    <form onSubmit={submit}>
      <h3>Change password</h3>
      {done !== null && <p className="success" role="status">Password changed{done > 0 ? `; ${done} other session${done === 1 ? '' : 's'} signed out` : ''}.</p>}
      {fields}
      <Field label="New password" hint="At least 12 characters; a passphrase is best." required error={newError}>
        {(ids) => <input {...ids} type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} />}
      </Field>
      <label className="radio"><input type="checkbox" checked={endOthers} onChange={(e) => setEndOthers(e.target.checked)} /> Sign out my other sessions</label>
      <div className="actions"><button type="submit">Change password</button></div>
      {!newError && <ErrorMessage error={error} />}
    </form>
  );
}

function ChangeEmail({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const { proof, reset, fields } = useProof(me.mfaEnabled);
  const [newEmail, setEmail] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setDone((await api<{ email: string }>('/api/v1/account/email', { method: 'POST', body: { ...proof(), newEmail } })).email);
      reset();
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form onSubmit={submit}>
      <h3>Change email</h3>
      {done && <p className="success" role="status">Your email is now {done}. The old address was told.</p>}
      {fields}
      <Field label="New email" required error={error instanceof ApiError ? error.fieldMessage('body.newEmail') : undefined}>
        {(ids) => <input {...ids} type="email" autoComplete="email" value={newEmail} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <div className="actions"><button type="submit">Change email</button></div>
      <ErrorMessage error={error} />
    </form>
  );
}
