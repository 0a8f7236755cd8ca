import { createHmac, randomBytes } from 'node:crypto';

/**
 * Single-use recovery codes, the way back in when the authenticator is lost.
 *
 * Each code is 10 characters of Crockford's base32 (`0-9`, `a-z` without `i l o u`), shown as
 * `xxxxx-xxxxx`: 50 random bits. Crockford's alphabet leaves out the letters people confuse with
 * digits, and normalisation maps them back (`o` → `0`, `i`/`l` → `1`), so a code read off paper
 * and typed loosely still matches. 256 is a multiple of 32, so masking a random byte is unbiased.
 *
 * Threats answered:
 * - A stolen database: only HMAC-SHA256(server secret, code) is stored, so the dump neither
 *   reveals codes nor allows checking guesses offline without the server secret (as for bearer
 *   tokens, crypto/secret-token.ts). 50 bits would be too few against an unkeyed fast hash; keyed,
 *   the only oracle left is the login endpoint, which lockout and rate limits bound.
 * - Reuse: the caller marks a code used (`recovery_code.used_at`) in the same transaction that
 *   accepts it, and looks codes up by hash among the user's unused ones; no plaintext comparison.
 * - Cross-protocol confusion: the HMAC input carries a label, so a recovery-code hash can never
 *   equal the hash of a bearer token made with the same server secret.
 */

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CODE_LENGTH = 10;
const GROUP = 5;
const HMAC_LABEL = 'embargo recovery code v1\0';

export const RECOVERY_CODE_BITS = CODE_LENGTH * 5;

export function generateRecoveryCodes(count = 10): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new RangeError('generateRecoveryCodes: count must be an integer from 1 to 100');
  const codes = new Set<string>();
  while (codes.size < count) {
    const characters = Array.from(randomBytes(CODE_LENGTH), (byte) => ALPHABET[byte & 31]).join('');
    codes.add(`${characters.slice(0, GROUP)}-${characters.slice(GROUP)}`);
  }
  return [...codes];
}

/**
 * The canonical form that is hashed: lowercase, separators (spaces, dashes, underscores, dots)
 * removed, Crockford look-alikes mapped to their digits. NFKC first folds full-width forms from
 * phone keyboards. It does not check the result is a well-formed code; an ill-formed one simply
 * matches no stored hash.
 */
export function normaliseRecoveryCode(code: string): string {
  return code
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_.]/gu, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
}

/** True if the code, normalised, has the shape of a recovery code (lets a form reject typos before a lookup). */
export function isWellFormedRecoveryCode(code: string): boolean {
  return new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`).test(normaliseRecoveryCode(code));
}

export function hashRecoveryCode(code: string, serverSecret: string): string {
  return createHmac('sha256', serverSecret).update(HMAC_LABEL + normaliseRecoveryCode(code), 'utf8').digest('hex');
}
