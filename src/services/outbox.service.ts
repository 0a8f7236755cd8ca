import { randomUUID } from 'node:crypto';
import { openText, seal } from '../crypto/envelope.ts';
import type { DbOrTrx } from '../storage/database.ts';
import { insertOutboxEvent } from '../storage/repositories/outbox.repository.ts';
import type { ServiceContext } from './context.ts';

export const EMAIL_TOPIC = 'email';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Where replies go, e.g. a report's reply address in the email intake. */
  replyTo?: string | undefined;
  /** `text` is an armoured OpenPGP message of a MIME entity: send it as PGP/MIME (RFC 3156) rather than as plain text. */
  pgpMime?: boolean | undefined;
  /** Extra header fields, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` on subscription mail (RFC 2369, RFC 8058). */
  headers?: Record<string, string> | undefined;
}

function payloadAad(id: string) {
  return { table: 'outbox_event', column: 'payload', rowId: id };
}

/**
 * Queues an email in the caller's transaction, so it is sent if and only if
 * the change that caused it commits. The payload is sealed: account mails
 * carry one-time links that must not sit readable in the database.
 */
export async function enqueueEmail(db: DbOrTrx, ctx: Pick<ServiceContext, 'keyring' | 'now'>, message: EmailMessage): Promise<void> {
  await enqueueEvent(db, ctx, EMAIL_TOPIC, message);
}

/** Queues any event (e.g. `report.received`) for the workers that act on it after commit. Payloads carry ids and metadata. */
export async function enqueueEvent(db: DbOrTrx, ctx: Pick<ServiceContext, 'keyring' | 'now'>, topic: string, payload: object): Promise<void> {
  const id = randomUUID();
  await insertOutboxEvent(db, { id, topic, sealedPayload: seal(ctx.keyring, JSON.stringify(payload), payloadAad(id)), availableAt: ctx.now() });
}

export function openEmailPayload(ctx: Pick<ServiceContext, 'keyring'>, event: { id: string; payload: string }): EmailMessage {
  return JSON.parse(openText(ctx.keyring, event.payload, payloadAad(event.id))) as EmailMessage;
}

/** A replacement payload for an existing event (e.g. an email whose recipient asked to be erased), bound to the same row. */
export function sealEventPayload(ctx: Pick<ServiceContext, 'keyring'>, eventId: string, payload: object): string {
  return seal(ctx.keyring, JSON.stringify(payload), payloadAad(eventId));
}

/** Opens any event's payload (ids and metadata) for the workers that act on it. */
export function openEventPayload(ctx: Pick<ServiceContext, 'keyring'>, event: { id: string; payload: string }): Record<string, unknown> {
  return JSON.parse(openText(ctx.keyring, event.payload, payloadAad(event.id))) as Record<string, unknown>;
}
