/**
 * The events the team can tune (issue 7). Account security events (lockout,
 * MFA, password, new sign-in) are deliberately absent: they are mailed by the
 * account services directly and cannot be turned off, since they are how
 * someone learns their account is under attack.
 */
export const teamEventKinds = [
  'report.received',
  'report.message_posted',
  'sla.due_soon',
  'sla.breached',
  'disclosure.proposed',
  'disclosure.agreed',
  'advisory.scheduled',
  'advisory.published',
] as const;
export type TeamEventKind = (typeof teamEventKinds)[number];

export const deliveries = ['immediate', 'digest', 'off'] as const;

export function isTeamEventKind(topic: string): topic is TeamEventKind {
  return (teamEventKinds as readonly string[]).includes(topic);
}

/** How each kind reads in a subject line and a digest. */
export const teamEventWords: Record<TeamEventKind, string> = {
  'report.received': 'New report',
  'report.message_posted': 'New message from the reporter',
  'sla.due_soon': 'Deadline due soon',
  'sla.breached': 'Deadline breached',
  'disclosure.proposed': 'Disclosure date proposed',
  'disclosure.agreed': 'Disclosure date agreed',
  'advisory.scheduled': 'Advisory scheduled',
  'advisory.published': 'Advisory published',
};

/** The UTC day a digest belongs to. */
export function digestDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
