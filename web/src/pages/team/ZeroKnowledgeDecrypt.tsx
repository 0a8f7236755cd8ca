/**
 * ZeroKnowledgeDecrypt — in-browser decryption of a zero-knowledge report.
 *
 * When a project's intake private key is kept offline, the report form encrypts
 * every field and file to the public key and Embargo stores only ciphertext
 * (the report is flagged `encryptedToTeam`). A triager opens it here: they
 * pick their private key from a local file, type its passphrase, and the
 * fields and files are decrypted by openpgp.js in this tab.
 *
 * The key never leaves the browser: it is read with the File API, kept in this
 * component's state only (never in storage, never sent), and dropped when the
 * triager clicks "Forget the key" or leaves the page. The only requests this
 * component causes are the `load()` calls for attachment ciphertext.
 *
 * Props:
 *   fields       armoured values to decrypt, with the label to show them under.
 *                A value may hold text around one or more armoured messages
 *                (inline PGP); each message is replaced by its plaintext.
 *   attachments  encrypted files: `load()` fetches the ciphertext (armoured or
 *                binary OpenPGP); the decrypted file is offered as a download
 *                under the name stored inside the message.
 *
 * Plaintext is shown as text (never as HTML).
 */
import { useId, useState, type FormEvent } from 'react';
import type { PrivateKey } from 'openpgp';
import { Field } from '../../ui/Field.tsx';
import '../../styles/public.css';

export interface EncryptedField {
  /** Shown as the heading of the plaintext, e.g. "Description". */
  label: string;
  /** The stored value: an armoured OpenPGP message, possibly with text around it. */
  armored: string;
}

export interface EncryptedAttachment {
  id: string;
  /** The name the server knows (e.g. encrypted-1.asc); the real one is inside the message. */
  filename: string;
  /** Fetches the ciphertext bytes (e.g. GET /api/v1/reports/:id/attachments/:attachmentId). */
  load: () => Promise<Uint8Array>;
}

export interface ZeroKnowledgeDecryptProps {
  fields: EncryptedField[];
  attachments?: EncryptedAttachment[];
}

const ARMORED_MESSAGE = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/g;

/** True when a stored value holds an armoured OpenPGP message (so the report page knows what to pass). */
export function isArmoredMessage(value: unknown): value is string {
  return typeof value === 'string' && value.includes('-----BEGIN PGP MESSAGE-----');
}

async function decryptText(openpgp: typeof import('openpgp'), key: PrivateKey, value: string): Promise<string> {
  const parts: string[] = [];
  let at = 0;
  for (const match of value.matchAll(ARMORED_MESSAGE)) {
    parts.push(value.slice(at, match.index));
    const message = await openpgp.readMessage({ armoredMessage: match[0] });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: key });
    parts.push(String(data).replace(/\r\n/g, '\n'));
    at = match.index + match[0].length;
  }
  parts.push(value.slice(at));
  return parts.join('');
}

async function decryptFile(openpgp: typeof import('openpgp'), key: PrivateKey, bytes: Uint8Array, fallbackName: string) {
  const text = new TextDecoder().decode(bytes.subarray(0, 64));
  const message = text.includes('-----BEGIN PGP MESSAGE-----')
    ? await openpgp.readMessage({ armoredMessage: new TextDecoder().decode(bytes) })
    : await openpgp.readMessage({ binaryMessage: bytes });
  const result = await openpgp.decrypt({ message, decryptionKeys: key, format: 'binary' });
  const name = (result as { filename?: string }).filename || fallbackName.replace(/\.(asc|pgp|gpg)$/i, '');
  return { name, data: result.data as Uint8Array };
}

interface DecryptedFile {
  id: string;
  name: string;
  url: string;
  size: number;
}

export function ZeroKnowledgeDecrypt({ fields, attachments = [] }: ZeroKnowledgeDecryptProps) {
  const keyInputId = useId();
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [plain, setPlain] = useState<{ label: string; text: string }[] | null>(null);
  const [files, setFiles] = useState<DecryptedFile[]>([]);

  const forget = () => {
    for (const file of files) URL.revokeObjectURL(file.url);
    setPlain(null);
    setFiles([]);
    setPassphrase('');
    setKeyFile(null);
    setError(null);
  };

  const decrypt = async (event: FormEvent) => {
    event.preventDefault();
    if (!keyFile) return;
    setBusy(true);
    setError(null);
    try {
      const openpgp = await import('openpgp');
      let key: PrivateKey;
      try {
        key = await openpgp.readPrivateKey({ armoredKey: await keyFile.text() });
      } catch {
        throw new Error('That file is not an armoured OpenPGP private key (it starts with -----BEGIN PGP PRIVATE KEY BLOCK-----).');
      }
      if (!key.isDecrypted()) {
        try {
          key = await openpgp.decryptKey({ privateKey: key, passphrase });
        } catch {
          throw new Error('The passphrase does not unlock this key.');
        }
      }
      const opened: { label: string; text: string }[] = [];
      for (const field of fields) {
        try {
          opened.push({ label: field.label, text: await decryptText(openpgp, key, field.armored) });
        } catch {
          throw new Error(`"${field.label}" does not open with this key: it was encrypted to another key, or is damaged.`);
        }
      }
      const decryptedFiles: DecryptedFile[] = [];
      for (const attachment of attachments) {
        const file = await decryptFile(openpgp, key, await attachment.load(), attachment.filename).catch(() => {
          throw new Error(`The file ${attachment.filename} does not open with this key.`);
        });
        decryptedFiles.push({ id: attachment.id, name: file.name, size: file.data.byteLength, url: URL.createObjectURL(new Blob([file.data as BlobPart])) });
      }
      setPlain(opened);
      setFiles(decryptedFiles);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      // The passphrase is not kept once used.
      setPassphrase('');
      setBusy(false);
    }
  };

  return (
    <section className="card zero-knowledge" aria-labelledby={`${keyInputId}-title`}>
      <h2 id={`${keyInputId}-title`}>Encrypted report</h2>
      <p>
        This report was encrypted in the reporter's browser to the project's offline key: the server holds only ciphertext. Decrypt it here with your
        private key. The key file is read by this page only; it is never uploaded or stored.
      </p>
      {plain === null ? (
        <form onSubmit={decrypt}>
          <Field label="Your private key file" hint="An armoured OpenPGP private key (.asc) from your computer.">
            {(ids) => <input {...ids} type="file" accept=".asc,.key,.txt,.gpg,application/pgp-keys,text/plain" onChange={(e) => setKeyFile(e.target.files?.[0] ?? null)} />}
          </Field>
          <Field label="Passphrase of the key">
            {(ids) => <input {...ids} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />}
          </Field>
          {error && <div className="error" role="alert"><p>{error}</p></div>}
          <div className="actions">
            <button type="submit" disabled={busy || !keyFile}>{busy ? 'Decrypting…' : 'Decrypt in this browser'}</button>
          </div>
        </form>
      ) : (
        <>
          <p className="success" role="status">Decrypted in this browser.</p>
          {plain.map((field) => (
            <div key={field.label}>
              <h3>{field.label}</h3>
              <pre className="plaintext">{field.text}</pre>
            </div>
          ))}
          {files.length > 0 && (
            <>
              <h3>Decrypted files</h3>
              <ul className="file-list" aria-label="Decrypted files">
                {files.map((file) => (
                  <li key={file.id}><a href={file.url} download={file.name}>{file.name}</a> <span className="hint">({file.size} bytes)</span></li>
                ))}
              </ul>
            </>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={forget}>Forget the key and hide the plaintext</button>
          </div>
        </>
      )}
    </section>
  );
}
