import type { ColumnType, Generated, Selectable } from 'kysely';

/** Kysely types of the OpenPGP intake key and reply address tables (migration 0006-project-keys). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ProjectKeyTable {
  project_id: string;
  /** Upper-case hex. */
  fingerprint: string;
  public_key_armored: string;
  /** Envelope of the unlocked armoured private key (AAD: project_key / private_key_sealed / project id); null when kept offline. */
  private_key_sealed: string | null;
  created_at: Timestamp;
  created_by: string | null;
}

export interface ReportReplyAddressTable {
  id: Generated<string>;
  report_id: string;
  token_hash: string;
  created_at: Timestamp;
}

export interface KeyTables {
  project_key: ProjectKeyTable;
  report_reply_address: ReportReplyAddressTable;
}

export type ProjectKey = Selectable<ProjectKeyTable>;
