/** The report's life cycle (src/domain/workflow/transitions.ts) in the reporter's words. */
const path = [
  { state: 'received', words: 'Received', detail: 'Your report has arrived.' },
  { state: 'acknowledged', words: 'Acknowledged', detail: 'A person on the team has read it.' },
  { state: 'accepted', words: 'Confirmed', detail: 'The team confirmed the vulnerability.' },
  { state: 'fix_in_progress', words: 'Being fixed', detail: 'A fix is being written.' },
  { state: 'fixed', words: 'Fixed', detail: 'A fix is available.' },
  { state: 'disclosed', words: 'Published', detail: 'The advisory is public.' },
] as const;

const offPath: Record<string, { words: string; detail: string }> = {
  needs_info: { words: 'Waiting for you', detail: 'The team asked you a question: answer it in the conversation.' },
  closed: { words: 'Closed', detail: 'The team closed this report; the conversation says why.' },
};

export function StatusTimeline({ status }: { status: string }) {
  const special = offPath[status];
  const reached = path.findIndex((step) => step.state === status);
  // needs_info happens after acknowledgement; closed can happen anywhere, so nothing beyond "received" is claimed.
  const current = special ? (status === 'needs_info' ? 1 : 0) : reached;
  return (
    <>
      <p>
        Now: <strong>{special?.words ?? path[reached]?.words ?? status}</strong>. {special?.detail ?? path[reached]?.detail ?? ''}
      </p>
      <ol className="timeline" aria-label="Progress of the report">
        {path.map((step, index) => {
          const kind = index < current || (special && index === current) ? 'done' : index === current ? 'current' : 'todo';
          return (
            <li key={step.state} className={kind} aria-current={kind === 'current' ? 'step' : undefined}>
              {step.words}
              <span className="visually-hidden">{kind === 'done' ? ' (done)' : kind === 'current' ? ' (current step)' : ' (not yet)'}</span>
            </li>
          );
        })}
      </ol>
    </>
  );
}
