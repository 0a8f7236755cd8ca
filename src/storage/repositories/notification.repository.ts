import type { DbOrTrx } from '../database.ts';
import type { NotificationDelivery, NotificationDigestItem } from '../schema-notifications.ts';

export interface TeamRecipient {
  id: string;
  email: string;
}

/**
 * Active project admins and triagers of a project; when it has none, the
 * organisation's owners and admins, who may act on every project. A new
 * project has no members until someone is added, and a report nobody hears
 * of is the failure this platform exists to prevent.
 */
export async function teamRecipients(db: DbOrTrx, projectId: string): Promise<TeamRecipient[]> {
  const team = await db
    .selectFrom('project_member')
    .innerJoin('app_user', 'app_user.id', 'project_member.user_id')
    .select(['app_user.id', 'app_user.email'])
    .where('project_member.project_id', '=', projectId)
    .where('project_member.role', 'in', ['project_admin', 'triager'])
    .where('app_user.disabled_at', 'is', null)
    .orderBy('app_user.email')
    .execute();
  if (team.length > 0) return team;
  return db
    .selectFrom('app_user')
    .innerJoin('project', 'project.organisation_id', 'app_user.organisation_id')
    .select(['app_user.id', 'app_user.email'])
    .where('project.id', '=', projectId)
    .where('app_user.role', 'in', ['owner', 'admin'])
    .where('app_user.disabled_at', 'is', null)
    .orderBy('app_user.email')
    .execute();
}

/** The accounts behind some addresses (case-insensitively), disabled ones flagged. */
export async function usersByEmail(db: DbOrTrx, emails: readonly string[]): Promise<(TeamRecipient & { disabled: boolean })[]> {
  if (emails.length === 0) return [];
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'email', 'disabled_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), 'in', emails.map((e) => e.toLowerCase())))
    .orderBy('email')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, disabled: r.disabled_at !== null }));
}

export async function listPreferences(db: DbOrTrx, userIds: readonly string[]): Promise<{ user_id: string; event_kind: string; delivery: NotificationDelivery }[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom('notification_preference').select(['user_id', 'event_kind', 'delivery']).where('user_id', 'in', [...userIds]).execute();
}

export async function upsertPreference(db: DbOrTrx, row: { user_id: string; event_kind: string; delivery: NotificationDelivery; updated_at: Date }): Promise<void> {
  await db
    .insertInto('notification_preference')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'event_kind']).doUpdateSet({ delivery: row.delivery, updated_at: row.updated_at }))
    .execute();
}

export async function insertDigestItem(db: DbOrTrx, row: { id: string; user_id: string; event_kind: string; line: string; created_at: Date }): Promise<void> {
  await db.insertInto('notification_digest_item').values({ ...row, digest_day: null }).execute();
}

/** Users with items waiting and no digest yet for `day`. */
export async function usersDueForDigest(db: DbOrTrx, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('notification_digest_item')
    .select('user_id')
    .distinct()
    .where('digest_day', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('notification_digest').select('day').whereRef('notification_digest.user_id', '=', 'notification_digest_item.user_id').where('notification_digest.day', '=', day))))
    .execute();
  return rows.map((r) => r.user_id);
}

/** Claims the (user, day) digest: false when it was already taken, by an earlier run or another instance. */
export async function claimDigest(db: DbOrTrx, userId: string, day: string, now: Date): Promise<boolean> {
  const result = await db.insertInto('notification_digest').values({ user_id: userId, day, sent_at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Takes a user's waiting items into the digest of `day`, oldest first. */
export async function takeDigestItems(db: DbOrTrx, userId: string, day: string): Promise<NotificationDigestItem[]> {
  const items = await db.selectFrom('notification_digest_item').selectAll().where('user_id', '=', userId).where('digest_day', 'is', null).orderBy('created_at').forUpdate().execute();
  if (items.length > 0) await db.updateTable('notification_digest_item').set({ digest_day: day }).where('id', 'in', items.map((i) => i.id)).execute();
  return items;
}
