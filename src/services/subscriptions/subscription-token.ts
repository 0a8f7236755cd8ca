import { createHmac, timingSafeEqual } from 'node:crypto';
import { EmbargoError } from '../../errors.ts';

export type SubscriptionTokenPurpose = 'confirm' | 'unsubscribe';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(serverSecret: string, id: string, purpose: SubscriptionTokenPurpose): Buffer {
  return createHmac('sha256', serverSecret).update(`advisory-subscription:${purpose}:${id}`, 'utf8').digest();
}

/**
 * `{subscription id}.{HMAC-SHA256(server secret, purpose + id)}`. Stateless
 * and without expiry on purpose: these links protect no content (the worst a
 * leaked one does is confirm or end one person's advisory mail), an
 * unsubscribe link must keep working in any old mail (RFC 8058), and the
 * purpose in the MAC keeps a confirmation link from unsubscribing and back.
 */
export function subscriptionToken(serverSecret: string, id: string, purpose: SubscriptionTokenPurpose): string {
  return `${id}.${mac(serverSecret, id, purpose).toString('base64url')}`;
}

/** The subscription id a token was issued for; `link_invalid` (with the field path) for anything forged, altered or of the other purpose. */
export function verifySubscriptionToken(serverSecret: string, token: string, purpose: SubscriptionTokenPurpose): string {
  const [id = '', signature = '', ...rest] = token.split('.');
  const given = Buffer.from(signature, 'base64url');
  const expected = UUID.test(id) ? mac(serverSecret, id, purpose) : undefined;
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the expected MAC.
  if (rest.length > 0 || !expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new EmbargoError('link_invalid', 'this subscription link is not valid', [{ path: 'query.token', message: 'is not a valid link' }]);
  }
  return id;
}
