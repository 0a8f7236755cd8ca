import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AccountTables, BigIntColumn } from './schema-accounts.ts';
import type { ReportTables } from './schema-reports.ts';
import type { TriageTables } from './schema-triage.ts';
import type { InstanceKeyTables } from './schema-instance-keys.ts';
import type { KeyTables } from './schema-keys.ts';
import type { AdvisoryTables } from './schema-advisories.ts';
import type { WebhookTables } from './schema-webhooks.ts';
import type { SubscriptionTables } from './schema-subscriptions.ts';
import type { NotificationTables } from './schema-notifications.ts';

/**
 * Kysely table types. Keep in step with the migrations in ./migrations/:
 * the storage tests exercise every repository on PGlite and PostgreSQL, so a
 * drift shows up there.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  default_project_id: string | null;
  mfa_required_for_admins: Generated<boolean>;
  mfa_required_for_all: Generated<boolean>;
  created_at: Timestamp;
}

export interface ProjectTable {
  id: Generated<string>;
  organisation_id: string;
  slug: string;
  name: string;
  policy_revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Every version of a project's policy is kept: the policy change log, and what the clocks of old reports were measured against. */
export interface PolicyRevisionTable {
  id: Generated<string>;
  project_id: string;
  revision: number;
  policy_yaml: string;
  policy: Json<unknown>;
  created_by: string | null;
  created_at: Timestamp;
}

export type UserRole = 'owner' | 'admin' | 'member';

export interface UserTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  password_hash: string;
  role: UserRole;
  created_at: Timestamp;
  disabled_at: Date | null;
  display_name: string | null;
  failed_login_count: Generated<number>;
  lockout_level: Generated<number>;
  locked_until: Date | null;
  /** Envelope-encrypted TOTP secrets. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: BigIntColumn | null;
  password_changed_at: Date | null;
}

export interface SetupTokenTable {
  id: Generated<string>;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  scopes: Json<string[]>;
  project_id: string | null;
}

export interface Database extends AccountTables, ReportTables, KeyTables, TriageTables, AdvisoryTables, InstanceKeyTables, WebhookTables, SubscriptionTables, NotificationTables {
  organisation: OrganisationTable;
  project: ProjectTable;
  policy_revision: PolicyRevisionTable;
  app_user: UserTable;
  setup_token: SetupTokenTable;
  api_token: ApiTokenTable;
  audit_log: AuditLogTable;
  audit_checkpoint: AuditCheckpointTable;
}

export type Organisation = Selectable<OrganisationTable>;
export type Project = Selectable<ProjectTable>;
export type NewProject = Insertable<ProjectTable>;
export type ProjectUpdate = Updateable<ProjectTable>;
export type PolicyRevision = Selectable<PolicyRevisionTable>;
export type User = Selectable<UserTable>;
export type ApiToken = Selectable<ApiTokenTable>;

/**
 * The audit log: append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE), hash-chained, written only through src/services/audit.service.ts.
 * `seq` is bigint: node-postgres returns it as a string.
 */
export interface AuditLogTable {
  seq: ColumnType<string, number, never>;
  id: string;
  at: ColumnType<Date, string, never>;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

/** Signed statements of the audit log's head at a point in time; append-only like the log. */
export interface AuditCheckpointTable {
  seq: ColumnType<string, number, never>;
  hash: string;
  at: ColumnType<Date, Date, never>;
  signature: string;
  key_id: string;
}

// Declaration merging adds the audit tables to `Database` above without editing its declaration.