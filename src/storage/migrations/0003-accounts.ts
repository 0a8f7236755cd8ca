import { sql, type Kysely } from 'kysely';

const timestamps = (table: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
  table.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`));

/** Team accounts: MFA, lockout, sessions and refresh tokens, scoped API tokens, invitations, resets, project roles, signing keys, outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organisation')
    .addColumn('mfa_required_for_admins', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('mfa_required_for_all', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  await db.schema
    .alterTable('app_user')
    .addColumn('display_name', 'text')
    .addColumn('failed_login_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lockout_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_pending_secret', 'text')
    .addColumn('totp_enabled_at', 'timestamptz')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('password_changed_at', 'timestamptz')
    .execute();

  await timestamps(
    db.schema
      .createTable('recovery_code')
      .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('code_hash', 'text', (c) => c.notNull().unique())
      .addColumn('used_at', 'timestamptz'),
  ).execute();

  // One row per login: a browser session (cookie) or an API session (a refresh-token family).
  await timestamps(
    db.schema
      .createTable('auth_session')
      .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('browser', 'api')`))
      .addColumn('token_hash', 'text', (c) => c.unique())
      .addColumn('csrf_token_hash', 'text')
      .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('idle_expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('absolute_expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .addColumn('revoked_reason', 'text')
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text'),
  ).execute();
  await db.schema.createIndex('auth_session_user').on('auth_session').column('user_id').execute();

  await timestamps(
    db.schema
      .createTable('refresh_token')
      .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('session_id', 'uuid', (c) => c.notNull().references('auth_session.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('used_at', 'timestamptz'),
  ).execute();

  // Second step of a login for accounts with MFA: proves the password was right, for a few minutes.
  await timestamps(
    db.schema
      .createTable('login_challenge')
      .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('browser', 'api')`))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('used_at', 'timestamptz'),
  ).execute();

  await db.schema
    .alterTable('api_token')
    .addColumn('scopes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('project_id', 'uuid', (c) => c.references('project.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('api_token_user').on('api_token').column('user_id').execute();

  await timestamps(
    db.schema
      .createTable('invitation')
      .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisation.id'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('org_role', 'text', (c) => c.notNull().check(sql`org_role in ('owner', 'admin', 'member')`))
      .addColumn('project_id', 'uuid', (c) => c.references('project.id').onDelete('cascade'))
      .addColumn('project_role', 'text', (c) => c.check(sql`project_role in ('project_admin', 'triager', 'viewer')`))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('invited_by', 'uuid', (c) => c.references('app_user.id').onDelete('set null'))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('accepted_at', 'timestamptz')
      .addColumn('revoked_at', 'timestamptz')
      .addCheckConstraint('invitation_project_pair', sql`(project_id is null) = (project_role is null)`),
  ).execute();

  await timestamps(
    db.schema
      .createTable('password_reset')
      .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('used_at', 'timestamptz'),
  ).execute();

  await timestamps(
    db.schema
      .createTable('project_member')
      .addColumn('project_id', 'uuid', (c) => c.notNull().references('project.id').onDelete('cascade'))
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('project_admin', 'triager', 'viewer')`))
      .addPrimaryKeyConstraint('project_member_pk', ['project_id', 'user_id']),
  ).execute();
  await db.schema.createIndex('project_member_user').on('project_member').column('user_id').execute();

  await timestamps(
    db.schema
      .createTable('jwt_signing_key')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
      .addColumn('private_jwk', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'timestamptz'),
  ).execute();

  // Transactional outbox: written with the change that causes it, delivered after commit.
  await timestamps(
    db.schema
      .createTable('outbox_event')
      .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('delivered_at', 'timestamptz')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text'),
  ).execute();
  await sql`create index outbox_event_pending on outbox_event (available_at) where delivered_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['outbox_event', 'jwt_signing_key', 'project_member', 'password_reset', 'invitation', 'login_challenge', 'refresh_token', 'auth_session', 'recovery_code']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('api_token').dropColumn('scopes').dropColumn('project_id').execute();
  await db.schema
    .alterTable('app_user')
    .dropColumn('display_name')
    .dropColumn('failed_login_count')
    .dropColumn('lockout_level')
    .dropColumn('locked_until')
    .dropColumn('totp_secret')
    .dropColumn('totp_pending_secret')
    .dropColumn('totp_enabled_at')
    .dropColumn('totp_last_step')
    .dropColumn('password_changed_at')
    .execute();
  await db.schema.alterTable('organisation').dropColumn('mfa_required_for_admins').dropColumn('mfa_required_for_all').execute();
}
