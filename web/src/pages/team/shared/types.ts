/** The shapes the team pages read from the JSON API (src/http/routes/triage, reports, account). */
export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical';
export const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'none'];
export const reportStates = ['received', 'acknowledged', 'needs_info', 'accepted', 'fix_in_progress', 'fixed', 'disclosed', 'closed'] as const;
export const resolutions = ['not_applicable', 'informative', 'duplicate', 'spam', 'out_of_scope', 'resolved'] as const;

export interface InboxRow {
  id: string;
  humanId: string;
  project: string;
  title: string;
  state: string;
  severity: Severity | null;
  clockStatus: string;
  nextDueAt: string | null;
  assigneeId: string | null;
  labels: string[];
  receivedAt: string;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  declaredType: string | null;
  size: number;
  uploadedBy: 'reporter' | 'team';
  messageId: string | null;
}

export interface Message {
  id: string;
  authorType: 'reporter' | 'team' | 'system';
  authorUserId: string | null;
  visibility: 'reporter' | 'internal';
  body: string;
  /** Sanitised by the server (src/formats/markdown-html.ts). */
  html: string;
  encryptedToTeam: boolean;
  createdAt: string;
  attachments: Attachment[];
}

export interface AffectedProduct {
  ecosystem: string;
  package: string;
  purl?: string;
  ranges: Array<{ introduced: string; fixed?: string; lastAffected?: string }>;
}

export interface TeamReport {
  id: string;
  humanId: string;
  state: string;
  source: string;
  receivedAt: string;
  title: string;
  content: {
    description?: string;
    steps_to_reproduce?: string;
    impact?: string;
    suggested_fix?: string;
    affected_versions?: { text?: string; versions?: Array<{ ecosystem?: string; package?: string; version: string }> };
    answers?: Record<string, string>;
  };
  contact: { email?: string; uri?: string; publicKey?: string } | null;
  credit: { mode: 'named' | 'anonymous' | 'none'; name: string | null };
  versionStatus: 'supported' | 'unsupported' | 'unknown';
  encryptedToTeam: boolean;
  spam: boolean;
  project: { slug: string; name: string };
  assessment: {
    severity: Severity | null;
    severityOverrideReason: string | null;
    cvss31: { vector: string; score: number | null } | null;
    cvss40: { vector: string; score: number | null } | null;
    cweIds: string[];
    labels: string[];
    assigneeId: string | null;
    affected: AffectedProduct[];
  };
  resolution: string | null;
  duplicateOf: string | null;
  availableActions: string[];
  messages: Message[];
  attachments: Attachment[];
}

export interface Member {
  userId: string;
  email: string;
  displayName: string | null;
  role: 'project_admin' | 'triager' | 'viewer';
}

export const memberName = (m: { displayName: string | null; email: string }) => m.displayName ?? m.email;
