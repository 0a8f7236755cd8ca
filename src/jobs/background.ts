import type { FastifyBaseLogger } from 'fastify';
import type { Mailer } from '../mail/smtp-mailer.ts';
import { checkpointAudit } from '../services/audit.service.ts';
import type { ServiceContext } from '../services/context.ts';
import { every } from './every.ts';
import { deliverDueEmails } from './outbox-dispatcher.ts';

export interface BackgroundOptions {
  mailer: Mailer | undefined;
  mailIntervalMs?: number;
  checkpointIntervalMs?: number;
}

/**
 * The in-process background work of one server: delivering queued email and
 * signing audit checkpoints (so that entries deleted after a checkpoint are
 * detected). Stopping waits for the current runs and signs a last checkpoint.
 */
export function startBackgroundWork(ctx: ServiceContext, log: FastifyBaseLogger, options: BackgroundOptions) {
  const report = (what: string) => (error: unknown) => log.error({ err: error }, `${what} failed`);
  const checkpoint = async () => {
    await checkpointAudit(ctx.db, { serverSecret: ctx.serverSecret, now: ctx.now() });
  };
  const checkpoints = every(options.checkpointIntervalMs ?? 10 * 60_000, checkpoint, report('audit checkpoint'));
  const mail = options.mailer
    ? every(options.mailIntervalMs ?? 5_000, async () => {
        const result = await deliverDueEmails(ctx, options.mailer!);
        if (result.failed > 0) log.warn(result, 'some emails could not be delivered; they will be retried');
      }, report('email delivery'))
    : undefined;
  if (!options.mailer) log.warn('no SMTP server is configured (EMBARGO_SMTP_URL): emails stay queued in the outbox until one is');
  return {
    async stop() {
      await mail?.stop();
      options.mailer?.close();
      await checkpoints.stop();
      await checkpoint().catch(report('final audit checkpoint'));
    },
  };
}
