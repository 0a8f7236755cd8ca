import type { ColumnType, Generated, Selectable } from 'kysely';

/** Kysely types of the account tables (migration 0003-accounts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** bigint columns come back from node-postgres as strings, to keep their precision. */
type BigIntColumn = ColumnType<string, number | string, number | string>;

export type ProjectRole = 'project_admin' | 'triager' | 'viewer';

export interface RecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface AuthSessionTable {
  id: Generated<string>;
  user_id: string;
  kind: 'browser' | 'api';
  token_hash: string | null;
  csrf_token_hash: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface RefreshTokenTable {
  id: Generated<string>;
  session_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface LoginChallengeTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  mode: 'browser' | 'api';
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface InvitationTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  org_role: 'owner' | 'admin' | 'member';
  project_id: string | null;
  project_role: ProjectRole | null;
  token_hash: string;
  invited_by: string | null;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  created_at: Timestamp;
}

export interface PasswordResetTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface ProjectMemberTable {
  project_id: string;
  user_id: string;
  role: ProjectRole;
  created_at: Timestamp;
}

export interface JwtSigningKeyTable {
  kid: string;
  public_jwk: Json<Record<string, unknown>>;
  /** Envelope-encrypted private JWK. */
  private_jwk: string;
  created_at: Timestamp;
  retired_at: Date | null;
}

export interface OutboxEventTable {
  id: Generated<string>;
  topic: string;
  /** Envelope-encrypted JSON: outbox payloads may carry one-time links. */
  payload: string;
  available_at: Timestamp;
  delivered_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** Set aside after repeated or permanent failures (migration 0014): no worker claims it again. */
  parked_at: Date | null;
  created_at: Timestamp;
}

export interface AccountTables {
  recovery_code: RecoveryCodeTable;
  auth_session: AuthSessionTable;
  refresh_token: RefreshTokenTable;
  login_challenge: LoginChallengeTable;
  invitation: InvitationTable;
  password_reset: PasswordResetTable;
  project_member: ProjectMemberTable;
  jwt_signing_key: JwtSigningKeyTable;
  outbox_event: OutboxEventTable;
}

export type AuthSession = Selectable<AuthSessionTable>;
export type Invitation = Selectable<InvitationTable>;
export type OutboxEvent = Selectable<OutboxEventTable>;
export type { BigIntColumn };
