import { useEffect, useMemo } from 'react';
import { CopyButton } from '../../../ui/CopyButton.tsx';

/** Recovery codes, shown this once: copy them, or download them as a text file (a Blob URL, revoked when the codes go away). */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `Embargo recovery codes (each works once)\n\n${codes.join('\n')}\n`;
  const url = useMemo(() => URL.createObjectURL(new Blob([text], { type: 'text/plain' })), [text]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div className="card shown-once" role="region" aria-labelledby="recovery-title">
      <h3 id="recovery-title">Your recovery codes</h3>
      <p><strong>Shown only now.</strong> Keep them somewhere safe, apart from your phone. Each lets you sign in once without the authenticator app.</p>
      <ul className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => <li key={c}>{c}</li>)}
      </ul>
      <div className="actions">
        <CopyButton text={codes.join('\n')} label="Copy the codes" />
        <a className="button secondary" href={url} download="embargo-recovery-codes.txt">Download as a text file</a>
        <button type="button" onClick={onDone}>I have saved them</button>
      </div>
    </div>
  );
}
