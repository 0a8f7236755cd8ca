import { digestDay } from '../../domain/notifications/team-events.ts';
import { findUserById } from '../../storage/repositories/user.repository.ts';
import { claimDigest, takeDigestItems, usersDueForDigest } from '../../storage/repositories/notification.repository.ts';
import type { ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { digestMail } from './team-mail.ts';

/**
 * Queues today's digest for every user with waiting items, at most one per
 * user and UTC day: the (user, day) row is claimed in the same transaction
 * that takes the items and queues the mail, so reruns and concurrent
 * instances cannot send a second one. Items arriving after today's digest
 * wait for tomorrow's. Returns the number of digests queued.
 */
export async function sendDailyDigests(ctx: ServiceContext): Promise<number> {
  const day = digestDay(ctx.now());
  let sent = 0;
  for (const userId of await usersDueForDigest(ctx.db, day)) {
    const queued = await ctx.db.transaction().execute(async (trx) => {
      if (!(await claimDigest(trx, userId, day, ctx.now()))) return false;
      const user = await findUserById(trx, userId);
      const items = await takeDigestItems(trx, userId, day);
      // A disabled account's items are taken with the digest but not mailed.
      if (!user || user.disabled_at !== null || items.length === 0) return false;
      await enqueueEmail(trx, ctx, digestMail(ctx.publicUrl, user.email, day, items.map((i) => i.line)));
      return true;
    });
    if (queued) sent += 1;
  }
  return sent;
}
