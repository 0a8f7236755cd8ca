import { randomUUID } from 'node:crypto';
import type { ApiTokenPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import type { WebhookEventType } from '../../domain/webhooks/events.ts';
import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import { listWebhookDeliveries, requeueDelivery } from '../../storage/repositories/webhook-delivery.repository.ts';
import { deleteWebhook, findProjectWebhook, insertWebhook, listProjectWebhooks, updateWebhook } from '../../storage/repositories/webhook.repository.ts';
import type { Webhook, WebhookDelivery } from '../../storage/schema-webhooks.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { generateWebhookSecret, sealWebhookSecret } from './webhook-secret.ts';
import { resolveWebhookTarget } from './webhook-target.ts';

type Actor = UserPrincipal | ApiTokenPrincipal;

async function projectIdOf(db: DbOrTrx, slug: string): Promise<string> {
  const project = await findProjectBySlug(db, slug);
  if (!project) throw new EmbargoError('not_found', `no project "${slug}"`);
  return project.id;
}

async function webhookOf(db: DbOrTrx, projectId: string, webhookId: string): Promise<Webhook> {
  const webhook = await findProjectWebhook(db, projectId, webhookId);
  if (!webhook) throw new EmbargoError('not_found', 'no such webhook', [{ path: 'params.webhookId', message: 'does not exist in this project' }]);
  return webhook;
}

function audit(trx: DbOrTrx, ctx: ServiceContext, actor: Actor, action: string, webhookId: string, meta: RequestMeta, details: Record<string, unknown>) {
  return appendAudit(trx, { actor: auditActor(actor), action, object: { type: 'webhook', id: webhookId }, outcome: 'success', ...meta, details, at: ctx.now() });
}

/** Creates a webhook; the secret is returned here once and afterwards only used to sign. */
export async function createWebhook(ctx: ServiceContext, actor: Actor, slug: string, input: { url: string; eventTypes: WebhookEventType[] }, meta: RequestMeta): Promise<{ webhook: Webhook; secret: string }> {
  // Outside the transaction: a slow DNS answer must not hold the connection.
  await resolveWebhookTarget(input.url, ctx.env);
  const secret = generateWebhookSecret();
  const id = randomUUID();
  return ctx.db.transaction().execute(async (trx) => {
    const projectId = await projectIdOf(trx, slug);
    const webhook = await insertWebhook(trx, { id, projectId, url: input.url, eventTypes: input.eventTypes, secretSealed: sealWebhookSecret(ctx.keyring, id, secret), now: ctx.now() });
    await audit(trx, ctx, actor, 'webhook.created', id, meta, { projectId, url: input.url, eventTypes: input.eventTypes });
    return { webhook, secret };
  });
}

export async function listWebhooks(ctx: ServiceContext, slug: string): Promise<Webhook[]> {
  return listProjectWebhooks(ctx.db, await projectIdOf(ctx.db, slug));
}

export async function changeWebhook(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  webhookId: string,
  changes: { url?: string | undefined; eventTypes?: WebhookEventType[] | undefined; enabled?: boolean | undefined },
  meta: RequestMeta,
): Promise<Webhook> {
  if (changes.url !== undefined) await resolveWebhookTarget(changes.url, ctx.env);
  return ctx.db.transaction().execute(async (trx) => {
    const projectId = await projectIdOf(trx, slug);
    await webhookOf(trx, projectId, webhookId);
    const webhook = await updateWebhook(trx, webhookId, changes, ctx.now());
    await audit(trx, ctx, actor, 'webhook.updated', webhookId, meta, { projectId, ...changes });
    return webhook;
  });
}

export async function removeWebhook(ctx: ServiceContext, actor: Actor, slug: string, webhookId: string, meta: RequestMeta): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const projectId = await projectIdOf(trx, slug);
    const webhook = await webhookOf(trx, projectId, webhookId);
    await deleteWebhook(trx, webhookId);
    await audit(trx, ctx, actor, 'webhook.deleted', webhookId, meta, { projectId, url: webhook.url });
  });
}

export async function listDeliveries(ctx: ServiceContext, slug: string, webhookId: string, limit: number): Promise<WebhookDelivery[]> {
  const webhook = await webhookOf(ctx.db, await projectIdOf(ctx.db, slug), webhookId);
  return listWebhookDeliveries(ctx.db, webhook.id, limit);
}

/** Sends a delivery again with the same `webhook-id`: a receiver that already processed it may recognise and skip it. */
export async function redeliver(ctx: ServiceContext, actor: Actor, slug: string, webhookId: string, deliveryId: string, meta: RequestMeta): Promise<WebhookDelivery> {
  return ctx.db.transaction().execute(async (trx) => {
    const projectId = await projectIdOf(trx, slug);
    await webhookOf(trx, projectId, webhookId);
    const delivery = await requeueDelivery(trx, webhookId, deliveryId, ctx.now());
    if (!delivery) throw new EmbargoError('not_found', 'no such delivery', [{ path: 'params.deliveryId', message: 'does not exist for this webhook' }]);
    await audit(trx, ctx, actor, 'webhook.redelivered', webhookId, meta, { projectId, deliveryId });
    return delivery;
  });
}
