import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { Invitation, InvitationTable } from '../schema-accounts.ts';

export async function insertInvitation(db: DbOrTrx, values: Insertable<InvitationTable>): Promise<Invitation> {
  return db.insertInto('invitation').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function lockLiveInvitation(db: DbOrTrx, tokenHash: string, now: Date): Promise<Invitation | undefined> {
  return db
    .selectFrom('invitation')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
}

export async function markInvitationAccepted(db: DbOrTrx, id: string, now: Date): Promise<void> {
  await db.updateTable('invitation').set({ accepted_at: now }).where('id', '=', id).execute();
}

export async function revokeInvitation(db: DbOrTrx, id: string, now: Date): Promise<boolean> {
  const result = await db.updateTable('invitation').set({ revoked_at: now }).where('id', '=', id).where('accepted_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listPendingInvitations(db: DbOrTrx, organisationId: string, now: Date): Promise<Invitation[]> {
  return db
    .selectFrom('invitation')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}
