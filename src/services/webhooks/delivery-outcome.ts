import { listProjectAdminEmails } from '../../storage/repositories/project-member.repository.ts';
import { findProjectById } from '../../storage/repositories/project.repository.ts';
import { recordAttempt, type AttemptOutcome } from '../../storage/repositories/webhook-delivery.repository.ts';
import { recordWebhookFailure, recordWebhookSuccess } from '../../storage/repositories/webhook.repository.ts';
import type { Webhook, WebhookDelivery } from '../../storage/schema-webhooks.ts';
import { appendAudit } from '../audit.service.ts';
import { systemMeta, type ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';

/**
 * Records one attempt in one transaction with its consequences: the
 * webhook's failure count, and when that reaches the limit, disabling it,
 * the audit entry and a mail to the project's admins (URL and counts only).
 */
export async function recordDeliveryOutcome(
  ctx: ServiceContext,
  webhook: Webhook,
  delivery: WebhookDelivery,
  outcome: AttemptOutcome,
  retryAt: Date | undefined,
  maxConsecutiveFailures: number,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await recordAttempt(trx, delivery.id, outcome, retryAt);
    if (!retryAt) return recordWebhookSuccess(trx, webhook.id);
    const { disabledNow } = await recordWebhookFailure(trx, webhook.id, maxConsecutiveFailures, ctx.now());
    if (!disabledNow) return;
    await appendAudit(trx, { actor: { type: 'system', id: null, label: 'webhook delivery' }, action: 'webhook.disabled', object: { type: 'webhook', id: webhook.id }, outcome: 'success', ...systemMeta, details: { projectId: webhook.project_id, consecutiveFailures: maxConsecutiveFailures }, at: ctx.now() });
    const project = await findProjectById(trx, webhook.project_id);
    const text = [
      `The webhook ${webhook.url} of project ${project?.slug ?? webhook.project_id} failed ${maxConsecutiveFailures} deliveries in a row and has been disabled.`,
      `Last error: ${outcome.statusCode !== null ? `HTTP ${outcome.statusCode}` : (outcome.error ?? 'unknown')}.`,
      '',
      'Pending deliveries are kept. Once the receiver works again, enable the webhook (PATCH with "enabled": true) and they will be sent.',
      `${ctx.publicUrl}/api/v1/projects/${project?.slug ?? ''}/webhooks/${webhook.id}`,
    ].join('\n');
    for (const to of await listProjectAdminEmails(trx, webhook.project_id)) await enqueueEmail(trx, ctx, { to, subject: 'Embargo: a webhook was disabled after repeated failures', text });
  });
}
