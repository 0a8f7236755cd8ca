import type { Transaction } from 'kysely';
import { listConfirmedSubscribers } from '../../storage/repositories/subscription.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { OutboxConsumer } from '../outbox-consumers.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { ADVISORY_PUBLISHED_TOPIC } from '../advisories/publication.ts';
import { openSubscriberEmail } from './subscriber-email.ts';
import { advisoryMail } from './subscription-mail.ts';

/** The public title of a published advisory; undefined if it is not public (withdrawn since), so nothing private can be mailed. */
async function publicTitle(trx: Transaction<Database>, advisoryId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('advisory').select(['content', 'state']).where('advisory_id', '=', advisoryId).executeTakeFirst();
  return row?.state === 'published' && row.content ? row.content.title : undefined;
}

/**
 * On `advisory.published` ({ advisoryId, projectId, url }), one mail per
 * confirmed subscriber of the project or of the instance. An address
 * subscribed to both gets one mail, carrying the unsubscribe link of its
 * older subscription.
 */
export const advisorySubscriberConsumer: OutboxConsumer = {
  topics: [ADVISORY_PUBLISHED_TOPIC],
  async consume(trx, ctx, _event, payload) {
    const { advisoryId, projectId, url } = payload;
    if (typeof advisoryId !== 'string' || typeof projectId !== 'string' || typeof url !== 'string') return;
    const title = await publicTitle(trx, advisoryId);
    if (title === undefined) return;
    const mailed = new Set<string>();
    for (const subscription of await listConfirmedSubscribers(trx, projectId)) {
      if (mailed.has(subscription.email_hash)) continue;
      mailed.add(subscription.email_hash);
      const to = openSubscriberEmail(ctx, subscription);
      await enqueueEmail(trx, ctx, advisoryMail(ctx.publicUrl, ctx.serverSecret, to, subscription.id, { advisoryId, title, url }));
    }
  },
};
