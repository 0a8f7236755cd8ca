import { retryDelayMs } from '../domain/notifications/retry-delay.ts';
import { isPermanentSmtpFailure, SMTP_SEND_BOUND_MS, type Mailer } from '../mail/smtp-mailer.ts';
import type { ServiceContext } from '../services/context.ts';
import { EMAIL_TOPIC, openEmailPayload } from '../services/outbox.service.ts';
import { insertEmailAttempt } from '../storage/repositories/email-attempt.repository.ts';
import { leaseDueOutboxEvents, markOutboxDelivered, renewOutboxLeases, markOutboxFailed, markOutboxParked } from '../storage/repositories/outbox.repository.ts';
import type { OutboxEvent } from '../storage/schema-accounts.ts';
import type { EmailAttemptOutcome } from '../storage/schema-notifications.ts';

const BATCH = 20;
const LEASE_MS = 5 * 60_000;
/** With the backoff capped at an hour, ten attempts span about nine hours: a mail still refused then is parked, not retried forever. */
export const MAX_EMAIL_ATTEMPTS = 10;

export { retryDelayMs };

export interface DeliveryReport {
  delivered: number;
  failed: number;
}

export interface EmailDeliveryReport extends DeliveryReport {
  /** Of the failed: set aside for good (a permanent refusal, or MAX_EMAIL_ATTEMPTS reached). */
  parked: number;
}

export interface EmailDeliveryOptions {
  /** How long a leased mail is this worker's before another may take it (a worker that died mid-batch). */
  leaseMs?: number;
  random?: () => number;
}

async function attempt(ctx: ServiceContext, mailer: Mailer, event: OutboxEvent, options: EmailDeliveryOptions): Promise<EmailAttemptOutcome> {
  const started = Date.now();
  let outcome: EmailAttemptOutcome = 'delivered';
  let smtpResponse: string | null = null;
  let error: string | null = null;
  let recipient: string | undefined;
  // Servers quote the recipient in their answers (`550 <a@b>: unknown`); the attempt log keeps the answer without it, so an address erased elsewhere does not live on here.
  const clean = (text: string, max: number) => (recipient ? text.replace(new RegExp(recipient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '<recipient>') : text).slice(0, max);
  try {
    const message = openEmailPayload(ctx, event);
    recipient = message.to;
    smtpResponse = clean((await mailer.send(message, event.id)).response, 500) || null;
  } catch (failure) {
    error = clean(failure instanceof Error ? failure.message : String(failure), 1000);
    smtpResponse = typeof (failure as { response?: unknown }).response === 'string' ? clean((failure as { response: string }).response, 500) : null;
    outcome = isPermanentSmtpFailure(failure) || event.attempts + 1 >= MAX_EMAIL_ATTEMPTS ? 'parked' : 'retry';
  }
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await insertEmailAttempt(trx, { event_id: event.id, attempted_at: now, outcome, smtp_response: smtpResponse, error, duration_ms: Date.now() - started });
    if (outcome === 'delivered') await markOutboxDelivered(trx, event.id, now);
    else if (outcome === 'parked') await markOutboxParked(trx, event.id, error!, now);
    else await markOutboxFailed(trx, event.id, error!, new Date(now.getTime() + retryDelayMs(event.attempts, options.random)));
  });
  return outcome;
}

/**
 * Sends the emails that are due, one outbox event (one recipient) each, and
 * records every attempt with the server's answer. At least once to the
 * transport, exactly once to a receiver that deduplicates by Message-ID: the
 * event id is the Message-ID, so a crash between the server's answer and the
 * record of it resends the same message after the lease, never a new one.
 * Temporary failures back off exponentially with jitter; a permanent refusal
 * (5xx) or MAX_EMAIL_ATTEMPTS failures park the mail with its last error.
 */
export async function deliverDueEmails(ctx: ServiceContext, mailer: Mailer, options: EmailDeliveryOptions = {}): Promise<EmailDeliveryReport> {
  const report: EmailDeliveryReport = { delivered: 0, failed: 0, parked: 0 };
  for (;;) {
    const now = ctx.now();
    const leaseMs = options.leaseMs ?? LEASE_MS;
    let heldUntil = new Date(now.getTime() + leaseMs);
    const events = await leaseDueOutboxEvents(ctx.db, EMAIL_TOPIC, now, heldUntil, BATCH);
    let held = new Set(events.map((e) => e.id));
    for (const [i, event] of events.entries()) {
      // Renewed only when what is left of the lease might not cover one more send: until it runs out nobody else can take these mails, and a lease lost meanwhile means another worker has them.
      if (heldUntil.getTime() - ctx.now().getTime() < SMTP_SEND_BOUND_MS) {
        const renewedUntil = new Date(ctx.now().getTime() + leaseMs);
        held = await renewOutboxLeases(ctx.db, events.slice(i).map((e) => e.id), heldUntil, renewedUntil);
        heldUntil = renewedUntil;
      }
      if (!held.has(event.id)) continue;
      const outcome = await attempt(ctx, mailer, event, options);
      if (outcome === 'delivered') report.delivered += 1;
      else report.failed += 1;
      if (outcome === 'parked') report.parked += 1;
    }
    if (events.length < BATCH) return report;
  }
}
