import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer secrets (setup links, API tokens, later reporter follow-up tokens).
 *
 * 32 random bytes give 256 bits, far beyond guessing. The prefix names the
 * kind so a leaked token is recognisable by secret scanners and by people.
 *
 * Only a keyed hash is stored: HMAC-SHA256 with the server secret. A stolen
 * database alone therefore neither reveals tokens nor lets an attacker check
 * guesses offline. A slow hash is unnecessary because the input has full
 * entropy; lookups go by hash, so no plaintext comparison ever happens.
 */
export function generateSecretToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecretToken(token: string, serverSecret: string): string {
  return createHmac('sha256', serverSecret).update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests, for the few places that compare rather than look up. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
