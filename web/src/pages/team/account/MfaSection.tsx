import { useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../../api/client.ts';
import type { Me } from '../../../api/me.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { useProof } from './ReAuthFields.tsx';

/** TOTP enrolment (QR code + secret, confirm with a code), disabling it, and new recovery codes. */
export function MfaSection({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const [codes, setCodes] = useState<string[] | null>(null);
  const refreshMe = () => queryClient.invalidateQueries({ queryKey: ['me'] });
  return (
    <section aria-labelledby="mfa-title" id="mfa" className="card">
      <h2 id="mfa-title">Two-factor sign-in</h2>
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
      ) : me.mfaEnabled ? (
        <>
          <p><span className="badge ok">On</span> Signing in needs a code from your authenticator app.</p>
          <ManageMfa me={me} onCodes={setCodes} onDisabled={refreshMe} />
        </>
      ) : (
        <>
          {me.mfaRequired ? <p className="warning">Your organisation requires two-factor sign-in. Set it up to use Embargo.</p> : <p><span className="badge warn">Off</span> Protect your account with an authenticator app.</p>}
          <Enrol onEnrolled={async (recoveryCodes) => { setCodes(recoveryCodes); await refreshMe(); }} />
        </>
      )}
    </section>
  );
}

function Enrol({ onEnrolled }: { onEnrolled: (codes: string[]) => void }) {
  const { proof, fields } = useProof(false);
  const [setup, setSetup] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [svg, setSvg] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (setup) QRCode.toString(setup.otpauthUri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(setSvg, setError);
  }, [setup]);
  const begin = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setSetup(await api<{ secret: string; otpauthUri: string }>('/api/v1/account/mfa/totp', { method: 'POST', body: proof() }));
    } catch (caught) {
      setError(caught);
    }
  };
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { recoveryCodes } = await api<{ recoveryCodes: string[] }>('/api/v1/account/mfa/totp/confirm', { method: 'POST', body: { code: code.replace(/\s+/g, '') } });
      onEnrolled(recoveryCodes);
    } catch (caught) {
      setError(caught);
    }
  };
  if (!setup) {
    return (
      <form onSubmit={begin}>
        {fields}
        <button type="submit">Set up an authenticator app</button>
        <ErrorMessage error={error} />
      </form>
    );
  }
  return (
    <form onSubmit={confirm}>
      <ol>
        <li>
          <p>Scan this QR code with your authenticator app.</p>
          {/* The qrcode library's own SVG output (markup it generates, no user HTML). */}
          <div className="qr" role="img" aria-label="QR code for your authenticator app" dangerouslySetInnerHTML={{ __html: svg }} />
        </li>
        <li>
          <p>Or type this secret into the app:</p>
          <p className="secret" data-testid="totp-secret">{setup.secret}</p>
        </li>
        <li>
          <Field label="Code from the app" hint="Six digits; proves the app is set up right." required>
            {(ids) => <input {...ids} inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
        </li>
      </ol>
      <button type="submit">Turn on two-factor sign-in</button>
      <ErrorMessage error={error} />
    </form>
  );
}

function ManageMfa({ me, onCodes, onDisabled }: { me: Me; onCodes: (codes: string[]) => void; onDisabled: () => void }) {
  const { proof, reset, fields } = useProof(true);
  const [error, setError] = useState<unknown>(null);
  const act = async (what: 'codes' | 'disable') => {
    setError(null);
    try {
      if (what === 'codes') onCodes((await api<{ recoveryCodes: string[] }>('/api/v1/account/mfa/recovery-codes', { method: 'POST', body: proof() })).recoveryCodes);
      else {
        await api('/api/v1/account/mfa/totp/disable', { method: 'POST', body: proof() });
        onDisabled();
      }
      reset();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <p className="hint">Both need your password and a current code.</p>
      {fields}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => act('codes')}>New recovery codes</button>
        {!me.mfaRequired && <button type="button" className="danger" onClick={() => act('disable')}>Turn off two-factor sign-in</button>}
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
