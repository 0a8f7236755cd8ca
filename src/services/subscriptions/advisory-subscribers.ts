import type { Transaction } from 'kysely';
import { listAdvisoryRevisions } from '../../storage/repositories/advisory.repository.ts';
import { listConfirmedSubscribers } from '../../storage/repositories/subscription.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { ServiceContext } from '../context.ts';
import type { OutboxConsumer } from '../outbox-consumers.ts';
import { enqueueEmail, type EmailMessage } from '../outbox.service.ts';
import { ADVISORY_UPDATED_TOPIC } from '../advisories/drafting.service.ts';
import { ADVISORY_PUBLISHED_TOPIC } from '../advisories/publication.ts';
import { openSubscriberEmail } from './subscriber-email.ts';
import { advisoryMail, advisoryUpdateMail } from './subscription-mail.ts';

/** A published advisory's row id and public title; undefined if it is not public (withdrawn since), so nothing private can be mailed. */
async function publicAdvisory(trx: Transaction<Database>, advisoryId: string): Promise<{ id: string; title: string } | undefined> {
  const row = await trx.selectFrom('advisory').select(['id', 'content', 'state']).where('advisory_id', '=', advisoryId).executeTakeFirst();
  return row?.state === 'published' && row.content ? { id: row.id, title: row.content.title } : undefined;
}

/**
 * One mail per confirmed subscriber of the project or of the instance. An
 * address subscribed to both gets one mail, carrying the unsubscribe link of
 * its older subscription.
 */
async function mailSubscribers(trx: Transaction<Database>, ctx: ServiceContext, projectId: string, mailFor: (to: string, subscriptionId: string) => EmailMessage): Promise<void> {
  const mailed = new Set<string>();
  for (const subscription of await listConfirmedSubscribers(trx, projectId)) {
    if (mailed.has(subscription.email_hash)) continue;
    mailed.add(subscription.email_hash);
    await enqueueEmail(trx, ctx, mailFor(openSubscriberEmail(ctx, subscription), subscription.id));
  }
}

/**
 * `advisory.published` ({ advisoryId, projectId, url }) mails the advisory;
 * `advisory.updated` ({ advisoryId, projectId, revision, url }) mails an
 * update notice with the revision's change note, as long as the advisory is
 * still public (a withdrawal is not an update).
 */
export const advisorySubscriberConsumer: OutboxConsumer = {
  topics: [ADVISORY_PUBLISHED_TOPIC, ADVISORY_UPDATED_TOPIC],
  async consume(trx, ctx, event, payload) {
    const { advisoryId, projectId, url, revision } = payload;
    if (typeof advisoryId !== 'string' || typeof projectId !== 'string' || typeof url !== 'string') return;
    const advisory = await publicAdvisory(trx, advisoryId);
    if (advisory === undefined) return;
    const { title } = advisory;
    if (event.topic === ADVISORY_PUBLISHED_TOPIC) {
      await mailSubscribers(trx, ctx, projectId, (to, id) => advisoryMail(ctx.publicUrl, ctx.serverSecret, to, id, { advisoryId, title, url }));
      return;
    }
    if (typeof revision !== 'number') return;
    const changeNote = (await listAdvisoryRevisions(trx, [advisory.id])).find((r) => r.number === revision)?.summary;
    if (changeNote === undefined) return;
    await mailSubscribers(trx, ctx, projectId, (to, id) => advisoryUpdateMail(ctx.publicUrl, ctx.serverSecret, to, id, { advisoryId, title, url, revision, changeNote }));
  },
};
