import { useEffect, useRef } from 'react';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';

export interface ReceiptData {
  id: string;
  humanId: string;
  status: string;
  versionStatus: 'supported' | 'unsupported' | 'unknown';
  receivedAt: string;
  followUpToken: string;
  followUpUrl: string;
}

const versionWords: Record<ReceiptData['versionStatus'], string | null> = {
  supported: 'The version you named is supported.',
  unsupported: 'The version you named is not supported by the policy; the team may still look at it, but may ask you to check a supported version.',
  unknown: null,
};

/**
 * The receipt, shown in place (never in a URL): the follow-up link and token
 * exist only in this answer, so the page says plainly that they cannot be
 * shown again and offers to copy them.
 */
export function Receipt({ receipt, projectName }: { receipt: ReceiptData; projectName: string }) {
  const heading = useRef<HTMLDivElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section>
      <div ref={heading} tabIndex={-1} className="receipt-focus">
        <PageTitle title={`Report ${receipt.humanId} received`}>Report {receipt.humanId} received</PageTitle>
      </div>
      <p className="success" role="status">
        Thank you. {projectName}'s security team has your report <strong>{receipt.humanId}</strong>, received {new Date(receipt.receivedAt).toLocaleString('en-GB')}.
      </p>
      {versionWords[receipt.versionStatus] && <p>{versionWords[receipt.versionStatus]}</p>}
      <div className="warning">
        <h2>Keep this link: it cannot be shown again</h2>
        <p>
          This private link is the only way back to your report: its status, the team's questions and your answers. Anyone with it can read the
          report, so keep it somewhere safe and do not share it. Nobody, not even the team, can show it to you again.
        </p>
      </div>
      <h3>Your private follow-up link</h3>
      <p className="secret-line"><a href={receipt.followUpUrl}>{receipt.followUpUrl}</a></p>
      <CopyButton text={receipt.followUpUrl} label="Copy the link" />
      <h3>Your follow-up token</h3>
      <p className="hint">The same access as the link, if you prefer to paste it on the portal page.</p>
      <pre className="secret" aria-label="Follow-up token">{receipt.followUpToken}</pre>
      <CopyButton text={receipt.followUpToken} label="Copy the token" />
      <div className="actions">
        <a className="button" href={receipt.followUpUrl}>Open your report</a>
      </div>
    </section>
  );
}
