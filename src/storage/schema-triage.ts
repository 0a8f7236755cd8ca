import type { ColumnType, Generated, Selectable } from 'kysely';

/** Kysely types of the triage tables (migration 0007-triage); the report's own triage columns are in schema-reports.ts. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ReportEventTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  report_id: string;
  type: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  actor_type: string;
  actor_id: string | null;
  reason_sealed: string | null;
  at: Timestamp;
}

export interface DisclosureProposalTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  report_id: string;
  proposed_by: 'team' | 'reporter';
  proposer_user_id: string | null;
  disclose_at: Timestamp;
  timezone: string;
  kind: 'initial' | 'counter' | 'extension';
  reason_sealed: string | null;
  status: 'open' | 'accepted' | 'rejected' | 'superseded';
  responded_at: Date | null;
  created_at: Timestamp;
}

export interface SlaNotificationTable {
  id: Generated<string>;
  report_id: string;
  clock: string;
  kind: 'reminder' | 'escalation';
  level: number;
  due_at: Timestamp;
  recipients: ColumnType<string[], string, string>;
  created_at: Timestamp;
}

export interface TriageTables {
  report_event: ReportEventTable;
  disclosure_proposal: DisclosureProposalTable;
  sla_notification: SlaNotificationTable;
}

export type ReportEvent = Selectable<ReportEventTable>;
export type DisclosureProposal = Selectable<DisclosureProposalTable>;
