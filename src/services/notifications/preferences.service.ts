import { teamEventKinds, type TeamEventKind } from '../../domain/notifications/team-events.ts';
import { listPreferences, upsertPreference } from '../../storage/repositories/notification.repository.ts';
import type { NotificationDelivery } from '../../storage/schema-notifications.ts';
import type { ServiceContext } from '../context.ts';

export type NotificationPreferences = Record<TeamEventKind, NotificationDelivery>;

/** Every tunable kind with the user's choice; `immediate` where they made none. */
export async function getNotificationPreferences(ctx: ServiceContext, userId: string): Promise<NotificationPreferences> {
  const stored = new Map((await listPreferences(ctx.db, [userId])).map((p) => [p.event_kind, p.delivery]));
  return Object.fromEntries(teamEventKinds.map((kind) => [kind, stored.get(kind) ?? 'immediate'])) as NotificationPreferences;
}

/** Sets the given kinds (others keep their value) in one transaction, and answers the whole set. */
export async function setNotificationPreferences(ctx: ServiceContext, userId: string, changes: Partial<NotificationPreferences>): Promise<NotificationPreferences> {
  await ctx.db.transaction().execute(async (trx) => {
    for (const kind of teamEventKinds) {
      const delivery = changes[kind];
      if (delivery !== undefined) await upsertPreference(trx, { user_id: userId, event_kind: kind, delivery, updated_at: ctx.now() });
    }
  });
  return getNotificationPreferences(ctx, userId);
}
