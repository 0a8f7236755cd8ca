import type { EmailMessage } from '../outbox.service.ts';
import { subscriptionToken } from './subscription-token.ts';

/**
 * The link people follow: a page that asks before it acts, with the token in
 * the fragment (never sent to servers, so not in proxies' logs or Referer).
 */
function pageLink(publicUrl: string, page: 'confirm' | 'unsubscribe', token: string): string {
  return `${publicUrl}/subscriptions/${page}#token=${token}`;
}

/** RFC 8058 one-click: the mail client POSTs to this URL alone, so the token must be in it. */
function unsubscribeHeaders(publicUrl: string, token: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${publicUrl}/api/v1/subscriptions/unsubscribe?token=${token}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** What a subscription covers, in words. */
export function scopeWords(project: { name: string } | undefined): string {
  return project ? `the security advisories of ${project.name}` : 'every security advisory published on this instance';
}

/** The double opt-in mail: nothing is sent to the address again unless its owner follows the link. */
export function confirmationMail(publicUrl: string, serverSecret: string, to: string, id: string, scope: string): EmailMessage {
  const confirm = pageLink(publicUrl, 'confirm', subscriptionToken(serverSecret, id, 'confirm'));
  return {
    to,
    subject: 'Confirm your subscription to security advisories',
    text: `Someone, hopefully you, asked to receive ${scope} at this address.\n\nTo confirm, open:\n${confirm}\n\nIf it was not you, ignore this mail: without confirmation you will get nothing more from us.\n`,
  };
}

/**
 * One published advisory to one subscriber: public facts only (title, id,
 * public URL), and the subscription's own unsubscribe link, also as the
 * RFC 2369 / RFC 8058 headers so mail clients offer one-click unsubscribe.
 */
export function advisoryMail(publicUrl: string, serverSecret: string, to: string, id: string, advisory: { advisoryId: string; title: string; url: string }): EmailMessage {
  const token = subscriptionToken(serverSecret, id, 'unsubscribe');
  const unsubscribe = pageLink(publicUrl, 'unsubscribe', token);
  return {
    to,
    subject: `Security advisory ${advisory.advisoryId}: ${advisory.title}`,
    text: `A security advisory was published.\n\n${advisory.advisoryId}: ${advisory.title}\n${advisory.url}\n\nTo stop receiving these mails, open:\n${unsubscribe}\n`,
    headers: unsubscribeHeaders(publicUrl, token),
  };
}

/**
 * A new revision of a published advisory to one subscriber. Every revision carries a change note (the API requires
 * one), so each is a documented change a consumer of the advisory would want to know about; the note is public (it
 * is in the advisory's revision history), so it may be mailed.
 */
export function advisoryUpdateMail(
  publicUrl: string,
  serverSecret: string,
  to: string,
  id: string,
  advisory: { advisoryId: string; title: string; url: string; revision: number; changeNote: string },
): EmailMessage {
  const token = subscriptionToken(serverSecret, id, 'unsubscribe');
  const unsubscribe = pageLink(publicUrl, 'unsubscribe', token);
  return {
    to,
    subject: `Security advisory ${advisory.advisoryId} updated: ${advisory.title}`,
    text: `A security advisory was updated (revision ${advisory.revision}).\n\n${advisory.advisoryId}: ${advisory.title}\n${advisory.url}\n\nWhat changed: ${advisory.changeNote}\n\nTo stop receiving these mails, open:\n${unsubscribe}\n`,
    headers: unsubscribeHeaders(publicUrl, token),
  };
}
