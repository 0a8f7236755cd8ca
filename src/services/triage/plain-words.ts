import type { ReportState, Resolution } from '../../domain/workflow/transitions.ts';

/** What a reporter reads in their thread when their report moves: plain words, no internal detail. */
export function stateChangeMessage(to: ReportState, resolution: Resolution | null): string {
  switch (to) {
    case 'acknowledged':
      return 'The team has acknowledged your report and is looking at it.';
    case 'needs_info':
      return 'The team needs more information from you; please reply in this thread.';
    case 'accepted':
      return 'The team has confirmed the vulnerability and will work on a fix.';
    case 'fix_in_progress':
      return 'A fix is being prepared.';
    case 'fixed':
      return 'The vulnerability has been fixed. Disclosure will follow as agreed.';
    case 'disclosed':
      return 'The vulnerability has been disclosed publicly.';
    case 'closed':
      return resolution === null || resolution === 'resolved' ? 'This report is closed. Thank you.' : closedBecause[resolution];
    case 'received':
      return 'Your report was received.';
  }
}

const closedBecause: Record<Exclude<Resolution, 'resolved'>, string> = {
  not_applicable: 'The team closed this report: it does not describe a vulnerability in this project.',
  informative: 'The team closed this report as informative: useful, but not a vulnerability that needs a fix.',
  duplicate: 'The team closed this report as a duplicate of one they already had.',
  spam: 'This report was closed as spam.',
  out_of_scope: 'The team closed this report: it is outside the scope of the security policy.',
};
