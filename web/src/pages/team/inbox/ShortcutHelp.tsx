import type { Ref } from 'react';

export const shortcuts: Array<[string, string]> = [
  ['j', 'Select the next report'],
  ['k', 'Select the previous report'],
  ['Enter or o', 'Open the selected report'],
  ['/', 'Search'],
  ['?', 'Show this help'],
];

/** The list of keyboard shortcuts, in a native modal dialog (focus trapped, Escape closes). */
export function ShortcutHelp({ ref }: { ref: Ref<HTMLDialogElement> }) {
  return (
    <dialog ref={ref} aria-labelledby="shortcut-help-title" className="dialog">
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <p className="hint">They do nothing while you type in a field.</p>
      <dl className="facts">
        {shortcuts.map(([key, what]) => (
          <div key={key} className="fact-row">
            <dt><kbd>{key}</kbd></dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
