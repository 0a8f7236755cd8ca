import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { Field } from '../../../ui/Field.tsx';
import { Loading } from '../../../ui/Loading.tsx';

interface IntakeInfo {
  encryption: { publicKey: string; fingerprint: string | null; serverCanDecrypt: boolean } | null;
}

/** The project's OpenPGP intake key: its status, the public half as published, and generating, uploading or going offline. */
export function KeysSection({ slug }: { slug: string }) {
  const queryClient = useQueryClient();
  const info = useQuery({ queryKey: ['intake', slug], queryFn: () => api<IntakeInfo>(`/api/v1/projects/${slug}/intake`) });
  const [publicKey, setPublicKey] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const after = (message: string) => () => {
    setDone(message);
    void queryClient.invalidateQueries({ queryKey: ['intake', slug] });
  };
  const generate = useMutation({ mutationFn: () => api(`/api/v1/projects/${slug}/intake-key`, { method: 'POST' }), onSuccess: after('A new key pair is in use; the old one no longer receives reports.') });
  const upload = useMutation({
    mutationFn: () => api(`/api/v1/projects/${slug}/intake-key`, { method: 'PUT', body: { publicKey, ...(privateKey ? { privateKey } : {}), ...(passphrase ? { passphrase } : {}) } }),
    onSuccess: () => {
      setPrivateKey('');
      setPassphrase('');
      after('Your key is installed.')();
    },
  });
  const dropPrivate = useMutation({ mutationFn: () => api(`/api/v1/projects/${slug}/intake-key/private`, { method: 'DELETE' }), onSuccess: after('The private key is deleted; encrypted reports now stay encrypted until you decrypt them offline.') });
  const error = generate.error ?? upload.error ?? dropPrivate.error;

  if (info.isPending) return <Loading what="Loading the intake key" />;
  if (info.error) return <ErrorMessage error={info.error} />;
  const key = info.data.encryption;
  return (
    <>
      {key ? (
        <dl className="facts">
          <dt>Fingerprint</dt>
          <dd><code>{key.fingerprint ?? 'from the policy (no intake key installed)'}</code></dd>
          <dt>Decryption</dt>
          <dd>{key.serverCanDecrypt ? <span className="badge ok">Embargo decrypts at intake</span> : <span className="badge warn">private key held offline</span>}</dd>
        </dl>
      ) : <p className="warning">No OpenPGP key: reporters cannot encrypt to the team.</p>}
      {key && (
        <details>
          <summary>Public key (as published at /p/{slug}/pgp-key.txt)</summary>
          <pre className="document-preview">{key.publicKey}</pre>
        </details>
      )}
      {done && <p className="success" role="status">{done}</p>}
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="button" className="secondary" disabled={generate.isPending} onClick={() => generate.mutate()}>{key?.fingerprint ? 'Rotate: generate a new key pair' : 'Generate a key pair'}</button>
        {key?.serverCanDecrypt && key.fingerprint && <button type="button" className="secondary" onClick={() => dropPrivate.mutate()}>Delete the private key (keep it offline)</button>}
      </div>
      <form className="settings-inline-form" onSubmit={(e) => { e.preventDefault(); upload.mutate(); }}>
        <h3>Install your own key</h3>
        <Field label="Public key (ASCII-armoured)" required>
          {(ids) => <textarea {...ids} className="code short" value={publicKey} onChange={(e) => setPublicKey(e.target.value)} />}
        </Field>
        <Field label="Private key (optional)" hint="Leave empty to keep it offline: encrypted reports are then stored as received.">
          {(ids) => <textarea {...ids} className="code short" autoComplete="off" value={privateKey} onChange={(e) => setPrivateKey(e.target.value)} />}
        </Field>
        <Field label="Passphrase of the private key" hint="Used once to unlock it; never stored.">
          {(ids) => <input {...ids} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
        </Field>
        <button type="submit" disabled={!publicKey || upload.isPending}>Install key</button>
      </form>
    </>
  );
}
