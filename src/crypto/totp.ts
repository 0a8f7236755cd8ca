import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

/**
 * TOTP second factor (RFC 6238): SHA-1, 6 digits, 30-second steps — the parameters every
 * authenticator app supports; other values are silently ignored by several of them.
 *
 * Threats answered:
 * - Replay (ASVS 5.0 V6.5: a code must not be usable twice within its validity): `verifyTotp`
 *   returns the matched time step; the caller stores it (`app_user.totp_last_step`) and passes
 *   it back, and any code at or before that step is refused as `replayed`. This also stops a
 *   phished or shoulder-surfed code being used in a second session after the victim used it.
 * - Timing side channels: every candidate code in the window is computed and compared with
 *   `crypto.timingSafeEqual`, with no early exit. otpauth's own `TOTP.validate` also compares in
 *   constant time, but stops at the first match and returns only one delta; checking every step
 *   ourselves keeps the work independent of which step matched and lets replay be judged on all
 *   matches.
 * - Guessing: 6 digits are 1e6 values and a window of 1 accepts 3 of them, so an online attacker
 *   needs rate limiting and lockout (domain/accounts/lockout.ts) in front of this.
 * - Clock injection: `now` is a parameter, so callers use the service clock and tests are exact.
 *
 * The secret is a credential: store it envelope-encrypted (crypto/envelope.ts), bound to its row.
 */

const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
/** RFC 6238 §5.2 recommends at most one step of skew; more only widens the guessing target. */
const MAX_WINDOW = 5;

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits), base32 for the authenticator app. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The `otpauth://totp/...` key URI an authenticator app reads from a QR code. The issuer goes
 * both in the label prefix and the `issuer` parameter, as the Key URI Format asks.
 * Neither part may contain a colon: it separates issuer from account in the label, and apps
 * disagree on how an encoded one is split.
 */
export function totpUri({ secret, issuer, accountName }: { secret: string; issuer: string; accountName: string }): string {
  if (issuer.length === 0 || accountName.length === 0) throw new TypeError('totpUri: issuer and accountName must not be empty');
  if (issuer.includes(':') || accountName.includes(':')) throw new TypeError('totpUri: issuer and accountName must not contain ":"');
  return new TOTP({
    issuer,
    label: accountName,
    issuerInLabel: true,
    secret: Secret.fromBase32(secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
  }).toString();
}

/** The RFC 6238 time step (counter) that contains `now`. */
export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
}

export type TotpVerification = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

const SIX_DIGITS = /^[0-9]{6}$/;

/**
 * Checks a code against the steps `now - window .. now + window`.
 *
 * Only exactly six ASCII digits are accepted; strip spaces the user typed before calling.
 * On success, store the returned `step` as the new `lastUsedStep` in the same transaction that
 * completes the login; a code is single-use only if that write happens.
 *
 * If a code matches both a used and an unused step (a 1-in-a-million coincidence), the latest
 * unused step is returned, which errs towards refusing codes rather than accepting one twice.
 */
export function verifyTotp({
  secret,
  code,
  now,
  lastUsedStep,
  window = 1,
}: {
  secret: string;
  code: string;
  now: Date;
  lastUsedStep: number | null;
  window?: number;
}): TotpVerification {
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) throw new RangeError(`verifyTotp: window must be an integer from 0 to ${MAX_WINDOW}`);
  if (Number.isNaN(now.getTime())) throw new RangeError('verifyTotp: now is not a valid date');
  if (lastUsedStep !== null && !Number.isSafeInteger(lastUsedStep)) throw new RangeError('verifyTotp: lastUsedStep must be an integer or null');
  // A stored secret that is not base32 is a server-side fault, so this throws rather than saying 'invalid'.
  const key = Secret.fromBase32(secret);
  if (!SIX_DIGITS.test(code)) return { ok: false, reason: 'invalid' };

  const given = Buffer.from(code, 'ascii');
  const current = totpStepAt(now);
  const matched: number[] = [];
  for (let step = current - window; step <= current + window; step += 1) {
    if (step < 0) continue;
    const expected = Buffer.from(HOTP.generate({ secret: key, algorithm: ALGORITHM, digits: DIGITS, counter: step }), 'ascii');
    if (timingSafeEqual(given, expected)) matched.push(step);
  }
  if (matched.length === 0) return { ok: false, reason: 'invalid' };
  const fresh = matched.filter((step) => lastUsedStep === null || step > lastUsedStep);
  if (fresh.length === 0) return { ok: false, reason: 'replayed' };
  return { ok: true, step: Math.max(...fresh) };
}
