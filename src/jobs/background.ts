import type { FastifyBaseLogger } from 'fastify';
import type { Mailer } from '../mail/smtp-mailer.ts';
import { checkpointAudit } from '../services/audit.service.ts';
import { sendDailyDigests } from '../services/notifications/digest.service.ts';
import type { ServiceContext } from '../services/context.ts';
import { every } from './every.ts';
import { deliverDueEmails } from './outbox-dispatcher.ts';
import { fanOutWebhookEvents } from '../services/webhooks/fan-out.ts';
import { deliverDueWebhooks } from './webhook-dispatcher.ts';

export interface BackgroundOptions {
  mailer: Mailer | undefined;
  mailIntervalMs?: number;
  /** How long a leased mail waits before another worker may send it, should this one die mid-batch (default 5 minutes). */
  mailLeaseMs?: number;
  checkpointIntervalMs?: number;
  webhookIntervalMs?: number;
  digestIntervalMs?: number;
  /** Consecutive failed deliveries after which a webhook is disabled. */
  webhookMaxConsecutiveFailures: number;
}

/**
 * The in-process background work of one server: delivering queued email and
 * webhooks (whose fan-out also routes team notifications and subscriber mail),
 * queuing daily digests, and signing audit checkpoints (so that entries deleted after a
 * checkpoint are detected). Stopping waits for the current runs and signs a
 * last checkpoint.
 *
 * Webhooks run on this loop rather than as pg-boss jobs, like email: the
 * work lives in rows (outbox events, deliveries) claimed with SKIP LOCKED and
 * leases, so several instances already share it safely, and a queue message
 * per delivery could not be sent inside the transaction that creates it.
 */
export function startBackgroundWork(ctx: ServiceContext, log: FastifyBaseLogger, options: BackgroundOptions) {
  const report = (what: string) => (error: unknown) => log.error({ err: error }, `${what} failed`);
  const checkpoint = async () => {
    await checkpointAudit(ctx.db, { serverSecret: ctx.serverSecret, now: ctx.now() });
  };
  const checkpoints = every(options.checkpointIntervalMs ?? 10 * 60_000, checkpoint, report('audit checkpoint'));
  const mail = options.mailer
    ? every(options.mailIntervalMs ?? 5_000, async () => {
        const result = await deliverDueEmails(ctx, options.mailer!, { leaseMs: options.mailLeaseMs });
        if (result.parked > 0) log.error(result, 'some emails were refused for good or failed too often and were parked (outbox_event.parked_at, last_error)');
        else if (result.failed > 0) log.warn(result, 'some emails could not be delivered; they will be retried');
      }, report('email delivery'))
    : undefined;
  const webhooks = every(options.webhookIntervalMs ?? 5_000, async () => {
    const fanOut = await fanOutWebhookEvents(ctx);
    for (const failure of fanOut.failed) {
      const { error, ...about } = failure;
      if (failure.parked) log.error({ err: error, ...about }, 'an outbox event failed too often and was parked; its consumers will not see it');
      else log.warn({ err: error, ...about }, 'an outbox event could not be fanned out; it will be retried');
    }
    const result = await deliverDueWebhooks(ctx, { maxConsecutiveFailures: options.webhookMaxConsecutiveFailures });
    if (result.failed > 0) log.warn(result, 'some webhook deliveries failed; they will be retried');
  }, report('webhook delivery'));
  // Hourly is enough: a digest is claimed per user and UTC day, so extra runs send nothing, and the first run of a day sends it.
  const digests = every(options.digestIntervalMs ?? 60 * 60_000, async () => {
    await sendDailyDigests(ctx);
  }, report('daily digest'));
  if (!options.mailer) log.warn('no SMTP server is configured (EMBARGO_SMTP_URL): emails stay queued in the outbox until one is');
  return {
    async stop() {
      await webhooks.stop();
      await digests.stop();
      await mail?.stop();
      options.mailer?.close();
      await checkpoints.stop();
      await checkpoint().catch(report('final audit checkpoint'));
    },
  };
}
