import { randomBytes } from 'node:crypto';

/**
 * Secrets that travel inside an email address (per-report reply addresses).
 * Mail systems may change the case of a local part and RFC 5321 caps it at
 * 64 octets, so these are 128 random bits in lower-case base32 (26
 * characters) rather than the 256-bit base64url of other bearer secrets:
 * still far beyond guessing, and only their keyed hash is stored
 * (hashSecretToken).
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function generateMailToken(): string {
  const bytes = randomBytes(16);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out + ALPHABET[(value << (5 - bits)) & 31];
}
