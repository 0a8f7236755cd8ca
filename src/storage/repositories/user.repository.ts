import { sql } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { User, UserRole } from '../schema.ts';

export async function countUsers(db: DbOrTrx): Promise<number> {
  const row = await db.selectFrom('app_user').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: DbOrTrx,
  values: { organisationId: string; email: string; passwordHash: string; role: UserRole },
): Promise<User> {
  return db
    .insertInto('app_user')
    .values({ organisation_id: values.organisationId, email: values.email, password_hash: values.passwordHash, role: values.role })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserById(db: DbOrTrx, id: string): Promise<User | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}
