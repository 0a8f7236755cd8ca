import type { Mailer } from '../mail/smtp-mailer.ts';
import type { ServiceContext } from '../services/context.ts';
import { EMAIL_TOPIC, openEmailPayload } from '../services/outbox.service.ts';
import { leaseDueOutboxEvents, markOutboxDelivered, markOutboxFailed } from '../storage/repositories/outbox.repository.ts';

const BATCH = 20;
const LEASE_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;

/** 1, 2, 4 … minutes, capped at an hour, with jitter so a failing server is not hit by every mail at once. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(60_000 * 2 ** attempts, MAX_BACKOFF_MS);
  return Math.round(base * (0.5 + random() / 2));
}

export interface DeliveryReport {
  delivered: number;
  failed: number;
}

/**
 * Sends the emails that are due. At least once: a crash between sending and
 * recording it sends that mail again after the lease, with the same
 * Message-ID. Failures are recorded on the event and retried with backoff.
 */
export async function deliverDueEmails(ctx: ServiceContext, mailer: Mailer): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, failed: 0 };
  for (;;) {
    const now = ctx.now();
    const events = await leaseDueOutboxEvents(ctx.db, EMAIL_TOPIC, now, new Date(now.getTime() + LEASE_MS), BATCH);
    for (const event of events) {
      try {
        await mailer.send(openEmailPayload(ctx, event), event.id);
        await markOutboxDelivered(ctx.db, event.id, ctx.now());
        report.delivered += 1;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await markOutboxFailed(ctx.db, event.id, reason, new Date(ctx.now().getTime() + retryDelayMs(event.attempts)));
        report.failed += 1;
      }
    }
    if (events.length < BATCH) return report;
  }
}
