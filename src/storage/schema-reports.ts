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
}

export type Report = Selectable<ReportTable>;
export type ReportMessage = Selectable<ReportMessageTable>;
