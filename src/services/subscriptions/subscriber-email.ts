import { openText, seal } from '../../crypto/envelope.ts';
import { hashSecretToken } from '../../crypto/secret-token.ts';
import type { ServiceContext } from '../context.ts';

function emailAad(id: string) {
  return { table: 'advisory_subscription', column: 'email_sealed', rowId: id };
}

/** Addresses compare case-insensitively in practice; one spelling per person keeps the uniqueness lookup honest. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The keyed hash used for lookups: without the server secret, a stolen table cannot be checked against a list of addresses. */
export function subscriberEmailHash(ctx: Pick<ServiceContext, 'serverSecret'>, email: string): string {
  return hashSecretToken(`advisory-subscriber:${normaliseEmail(email)}`, ctx.serverSecret);
}

export function sealSubscriberEmail(ctx: Pick<ServiceContext, 'keyring'>, id: string, email: string): string {
  return seal(ctx.keyring, normaliseEmail(email), emailAad(id));
}

export function openSubscriberEmail(ctx: Pick<ServiceContext, 'keyring'>, row: { id: string; email_sealed: string }): string {
  return openText(ctx.keyring, row.email_sealed, emailAad(row.id));
}
