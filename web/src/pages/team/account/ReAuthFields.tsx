import { useState } from 'react';
import { Field } from '../../../ui/Field.tsx';

export interface Proof {
  currentPassword: string;
  code?: string;
  recoveryCode?: string;
}

/** Re-authentication for sensitive changes: the current password, and a code when MFA is on. */
export function useProof(mfaEnabled: boolean) {
  const [currentPassword, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const proof = (): Proof => ({
    currentPassword,
    ...(mfaEnabled && code.trim() ? (recovery ? { recoveryCode: code.trim() } : { code: code.replace(/\s+/g, '') }) : {}),
  });
  const reset = () => {
    setPassword('');
    setCode('');
  };
  const fields = (
    <>
      <Field label="Current password" required>
        {(ids) => <input {...ids} type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      {mfaEnabled && (
        <>
          <Field label={recovery ? 'Recovery code' : 'Authentication code'} required>
            {(ids) => <input {...ids} autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
          <button type="button" className="link-button" onClick={() => setRecovery(!recovery)}>{recovery ? 'Use an authenticator code instead' : 'Use a recovery code instead'}</button>
        </>
      )}
    </>
  );
  return { proof, reset, fields };
}
