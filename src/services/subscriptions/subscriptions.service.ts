import { randomUUID } from 'node:crypto';
import { EmbargoError } from '../../errors.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import { confirmSubscription, deleteSubscription, findSubscription, insertSubscription, markConfirmationSent } from '../../storage/repositories/subscription.repository.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { confirmationMail, scopeWords } from './subscription-mail.ts';
import { normaliseEmail, sealSubscriberEmail, subscriberEmailHash } from './subscriber-email.ts';
import { verifySubscriptionToken } from './subscription-token.ts';

/**
 * The audit trail of a subscription names it by id and scope only: the
 * address stays in the (sealed) subscription row and is gone with it, never
 * copied into the append-only log.
 */
async function audit(trx: DbOrTrx, ctx: ServiceContext, action: string, id: string, projectId: string | null, meta: RequestMeta) {
  await appendAudit(trx, { actor: { type: 'anonymous', label: 'subscriber' }, action, object: { type: 'advisory_subscription', id }, outcome: 'success', ...meta, details: { projectId }, at: ctx.now() });
}

/** A pending subscription's confirmation is mailed again at most this often, so the form cannot be used to flood an address. */
const RESEND_AFTER_MS = 60 * 60_000;

/**
 * Asks for a subscription. Returns nothing whatever happened (new, pending,
 * already confirmed, unknown project), so the answer cannot tell anyone
 * whether an address is subscribed: the only trace is the confirmation mail,
 * which goes to the address itself.
 */
export async function requestSubscription(ctx: ServiceContext, input: { email: string; project?: string | undefined }, meta: RequestMeta): Promise<void> {
  const email = normaliseEmail(input.email);
  const emailHash = subscriberEmailHash(ctx, email);
  await ctx.db.transaction().execute(async (trx) => {
    const project = input.project === undefined ? undefined : await findProjectBySlug(trx, input.project);
    if (input.project !== undefined && !project) return;
    const projectId = project?.id ?? null;
    const now = ctx.now();
    const mail = (id: string) => confirmationMail(ctx.publicUrl, ctx.serverSecret, email, id, scopeWords(project));
    const existing = await findSubscription(trx, emailHash, projectId);
    if (existing) {
      if (existing.confirmed_at !== null || now.getTime() - existing.confirmation_sent_at.getTime() < RESEND_AFTER_MS) return;
      await markConfirmationSent(trx, existing.id, now);
      await enqueueEmail(trx, ctx, mail(existing.id));
      return;
    }
    const id = randomUUID();
    const created = await insertSubscription(trx, { id, project_id: projectId, email_sealed: sealSubscriberEmail(ctx, id, email), email_hash: emailHash, confirmed_at: null, confirmation_sent_at: now, created_at: now });
    if (!created) return;
    await enqueueEmail(trx, ctx, mail(id));
    await audit(trx, ctx, 'subscription.requested', id, projectId, meta);
  });
}

/** Follows a confirmation link. A link of a subscription since ended is refused: the owner must subscribe again. */
export async function confirmSubscriptionLink(ctx: ServiceContext, token: string, meta: RequestMeta): Promise<void> {
  const id = verifySubscriptionToken(ctx.serverSecret, token, 'confirm');
  const confirmed = await ctx.db.transaction().execute(async (trx) => {
    const result = await confirmSubscription(trx, id, ctx.now());
    if (result?.confirmedNow) await audit(trx, ctx, 'subscription.confirmed', id, result.projectId, meta);
    return result !== undefined;
  });
  if (!confirmed) throw new EmbargoError('link_invalid', 'this subscription has ended; subscribe again to receive advisories', [{ path: 'query.token', message: 'names a subscription that has ended' }]);
}

/** Follows an unsubscribe link (or a one-click POST): the row and the address in it are deleted. Repeating it succeeds. */
export async function unsubscribeLink(ctx: ServiceContext, token: string, meta: RequestMeta): Promise<void> {
  const id = verifySubscriptionToken(ctx.serverSecret, token, 'unsubscribe');
  await ctx.db.transaction().execute(async (trx) => {
    const ended = await deleteSubscription(trx, id);
    if (ended) await audit(trx, ctx, 'subscription.ended', id, ended.projectId, meta);
  });
}
