import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

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
}

export interface Database {
  organisation: OrganisationTable;
  project: ProjectTable;
  policy_revision: PolicyRevisionTable;
  app_user: UserTable;
  setup_token: SetupTokenTable;
  api_token: ApiTokenTable;
}

export type Organisation = Selectable<OrganisationTable>;
export type Project = Selectable<ProjectTable>;
export type NewProject = Insertable<ProjectTable>;
export type ProjectUpdate = Updateable<ProjectTable>;
export type PolicyRevision = Selectable<PolicyRevisionTable>;
export type User = Selectable<UserTable>;
export type ApiToken = Selectable<ApiTokenTable>;
