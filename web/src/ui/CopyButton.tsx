import { useState } from 'react';

/** Copies a secret to the clipboard and says so (politely, for screen readers); the text stays selectable if the clipboard is refused. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="secondary" onClick={copy}>{label}</button>
      <span role="status" className="hint">
        {state === 'copied' ? ' Copied.' : state === 'failed' ? ' The browser refused the clipboard: select the text and copy it.' : ''}
      </span>
    </span>
  );
}
