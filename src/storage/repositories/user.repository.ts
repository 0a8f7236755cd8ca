import { sql, type Updateable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { User, UserRole, UserTable } from '../schema.ts';

export async function countUsers(db: DbOrTrx): Promise<number> {
  const row = await db.selectFrom('app_user').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: DbOrTrx,
  values: { organisationId: string; email: string; passwordHash: string; role: UserRole; displayName?: string | null },
): Promise<User> {
  return db
    .insertInto('app_user')
    .values({
      organisation_id: values.organisationId,
      email: values.email,
      password_hash: values.passwordHash,
      role: values.role,
      display_name: values.displayName ?? null,
      password_changed_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserById(db: DbOrTrx, id: string): Promise<User | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the row: login bookkeeping (failure counts, TOTP replay step) must not race. */
export async function lockUserById(db: DbOrTrx, id: string): Promise<User | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findUserByEmail(db: DbOrTrx, email: string): Promise<User | undefined> {
  return db.selectFrom('app_user').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export async function updateUser(db: DbOrTrx, id: string, patch: Updateable<UserTable>): Promise<void> {
  await db.updateTable('app_user').set(patch).where('id', '=', id).execute();
}

export async function listUsers(db: DbOrTrx, organisationId: string): Promise<User[]> {
  return db.selectFrom('app_user').selectAll().where('organisation_id', '=', organisationId).orderBy('email').execute();
}

export async function countActiveOwners(db: DbOrTrx, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select(sql<string>`count(*)`.as('n'))
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The user and the organisation settings that decide whether MFA is required of them. */
export async function findEnabledUserWithMfaSettings(db: DbOrTrx, id: string) {
  return db
    .selectFrom('app_user')
    .innerJoin('organisation', 'organisation.id', 'app_user.organisation_id')
    .select([
      'app_user.id',
      'app_user.email',
      'app_user.role',
      'app_user.organisation_id',
      'app_user.totp_enabled_at',
      'organisation.mfa_required_for_admins',
      'organisation.mfa_required_for_all',
    ])
    .where('app_user.id', '=', id)
    .where('app_user.disabled_at', 'is', null)
    .executeTakeFirst();
}
