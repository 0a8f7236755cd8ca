import type { ColumnType, Generated, Selectable } from 'kysely';

/** Kysely types of the report tables (migration 0004-reports). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ReportSource = 'web' | 'api' | 'email';
export type CreditMode = 'named' | 'anonymous' | 'none';
export type VersionStatus = 'supported' | 'unsupported' | 'unknown';

export interface ReportCounterTable {
  project_id: string;
  year: number;
  last_number: number;
}

export interface ReportTable {
  id: string;
  project_id: string;
  human_id: string;
  state: Generated<string>;
  source: ReportSource;
  title_clear: string | null;
  title_sealed: string | null;
  fields_sealed: string;
  contact_sealed: string | null;
  credit_mode: CreditMode;
  credit_name_sealed: string | null;
  version_status: VersionStatus;
  encrypted_to_team: Generated<boolean>;
  policy_revision: number;
  spam_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  // Triage (migration 0007-triage).
  resume_state: string | null;
  resolution: string | null;
  duplicate_of: string | null;
  severity: 'none' | 'low' | 'medium' | 'high' | 'critical' | null;
  severity_override_reason: string | null;
  cvss31_vector: string | null;
  cvss31_score: ColumnType<string | null, number | null, number | null>;
  cvss40_vector: string | null;
  cvss40_score: ColumnType<string | null, number | null, number | null>;
  cwe_ids: ColumnType<string[], string | undefined, string>;
  labels: ColumnType<string[], string | undefined, string>;
  assignee_id: string | null;
  acknowledged_at: Date | null;
  triaged_at: Date | null;
  fixed_at: Date | null;
  disclosed_at: Date | null;
  closed_at: Date | null;
  disclosure_at: Date | null;
  disclosure_timezone: string | null;
  next_due_at: Date | null;
  clock_status: Generated<string>;
  /** The team's affected products and version ranges (migration 0008). */
  affected: ColumnType<AffectedProduct[], string | undefined, string>;
}

export interface AffectedProduct {
  ecosystem: string;
  package: string;
  purl?: string | undefined;
  ranges: Array<{ introduced: string; fixed?: string | undefined; lastAffected?: string | undefined }>;
}

export interface ReporterTokenTable {
  id: Generated<string>;
  report_id: string;
  token_hash: string;
  created_at: Timestamp;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

export interface ReportMessageTable {
  id: string;
  seq: ColumnType<string, never, never>;
  report_id: string;
  author_type: 'reporter' | 'team' | 'system';
  author_user_id: string | null;
  visibility: 'reporter' | 'internal';
  body_sealed: string;
  encrypted_to_team: Generated<boolean>;
  created_at: Timestamp;
}

export interface IdempotencyRecordTable {
  project_id: string;
  key: string;
  request_hash: string;
  report_id: string | null;
  response_sealed: string | null;
  created_at: Timestamp;
}

export interface ReportTables {
  report_counter: ReportCounterTable;
  report: ReportTable;
  reporter_token: ReporterTokenTable;
  report_message: ReportMessageTable;
  idempotency_record: IdempotencyRecordTable;
  report_attachment: AttachmentTable;
}

export type Report = Selectable<ReportTable>;
export type ReportMessage = Selectable<ReportMessageTable>;

/** Migration 0005-attachments: file bytes and filename sealed, bound to the attachment id. */
export interface AttachmentTable {
  id: string;
  seq: ColumnType<string, never, never>;
  report_id: string;
  message_id: string | null;
  filename_sealed: string;
  content_type: string;
  declared_type: string | null;
  size_bytes: number;
  /** PGlite returns bytea as a Uint8Array, node-postgres as a Buffer (a Uint8Array too). */
  content_sealed: Uint8Array;
  uploaded_by: 'reporter' | 'team';
  uploaded_by_user: string | null;
  created_at: Timestamp;
}
