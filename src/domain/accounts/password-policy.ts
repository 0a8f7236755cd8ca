import { createRequire } from 'node:module';

/**
 * Password rules after ASVS 5.0 V6.2 (and NIST SP 800-63B §3.1.1.2). Pure: no I/O, no clock.
 *
 * - Length is what matters: at least 12 by default (configurable, never below 8), at most 128
 *   (at least 64 must always be allowed; 128 leaves room for passphrases and password managers
 *   while bounding the argon2 input).
 * - Length is counted in Unicode code points after NFC normalisation, so `é` typed as one
 *   precomposed or as `e` + combining accent counts once, and an emoji such as 🔒 counts once
 *   (a ZWJ sequence such as 👩‍💻 is several code points, and counts as several). Store and
 *   verify the NFC form too (`normalisePassword`), or a password typed on another system may
 *   not match its own hash.
 * - No composition rules (no "one digit, one symbol"): they push people to predictable patterns.
 * - Nothing is trimmed or truncated: spaces are ordinary characters.
 * - Passwords found in a list of commonly used passwords are refused (`common`): the ~49,000
 *   ranked entries of @zxcvbn-ts/language-common's `passwords-common`, compared lowercased.
 *   The list is decompressed and indexed on first use, not at import time.
 * - A password made of a single repeated character (twelve spaces, `aaaaaaaaaaaa`) is refused as
 *   `common` too: it is the first thing any guesser tries, list or no list.
 * - Context words (the user's email local part, "embargo", the organisation's name) must not make
 *   up the password: it is refused (`contains_context`) if its letters, once digits, spaces and
 *   symbols are removed, are nothing but context words (`Embargo2026!`, `alice.alice`,
 *   `acme-embargo-1`). A password that merely contains one among other words passes.
 */

export type PasswordProblemCode = 'too_short' | 'too_long' | 'common' | 'contains_context';

export interface PasswordProblem {
  code: PasswordProblemCode;
  message: string;
}

export type PasswordCheck = { ok: true } | { ok: false; problems: PasswordProblem[] };

export interface PasswordPolicyOptions {
  /** Default 12; below 8 throws. */
  minLength?: number;
  /** Default 128; below 128 or above 1024 throws. */
  maxLength?: number;
  /** Words the password must not consist of: email local part, product and organisation names. */
  context: ReadonlyArray<string>;
}

export const MIN_ALLOWED_MIN_LENGTH = 8;
export const MIN_ALLOWED_MAX_LENGTH = 128;
/** Bounds the work done on (and later hashed from) an attacker-chosen string. */
export const MAX_ALLOWED_MAX_LENGTH = 1024;

/** The form to hash and to verify: NFC, nothing else changed. */
export function normalisePassword(password: string): string {
  return password.normalize('NFC');
}

/** Length in Unicode code points after NFC normalisation. */
export function passwordLength(password: string): number {
  let count = 0;
  for (const _ of normalisePassword(password)) count += 1;
  return count;
}

export function checkPassword(password: string, options: PasswordPolicyOptions): PasswordCheck {
  const { minLength = 12, maxLength = 128, context } = options;
  if (!Number.isInteger(minLength) || minLength < MIN_ALLOWED_MIN_LENGTH) {
    throw new RangeError(`password policy: minLength must be an integer of at least ${MIN_ALLOWED_MIN_LENGTH}`);
  }
  if (!Number.isInteger(maxLength) || maxLength < MIN_ALLOWED_MAX_LENGTH || maxLength > MAX_ALLOWED_MAX_LENGTH) {
    throw new RangeError(`password policy: maxLength must be an integer from ${MIN_ALLOWED_MAX_LENGTH} to ${MAX_ALLOWED_MAX_LENGTH}`);
  }
  if (minLength > maxLength) throw new RangeError('password policy: minLength must not exceed maxLength');

  const normalised = normalisePassword(password);
  let length = 0;
  for (const _ of normalised) length += 1;
  // An over-long input gets no further work: it is refused whatever it contains.
  if (length > maxLength) {
    return { ok: false, problems: [{ code: 'too_long', message: `must be at most ${maxLength} characters` }] };
  }

  const problems: PasswordProblem[] = [];
  if (length < minLength) problems.push({ code: 'too_short', message: `must be at least ${minLength} characters` });
  const folded = normalised.toLowerCase();
  if (isCommonPassword(folded) || isOneRepeatedCharacter(normalised)) {
    problems.push({ code: 'common', message: 'is too common; choose a longer phrase of unrelated words' });
  }
  if (consistsOfContextWords(folded, context)) {
    problems.push({ code: 'contains_context', message: 'must not be made of your email address, the organisation or the product name' });
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

let commonPasswords: Set<string> | undefined;

/**
 * Loaded lazily through `require` so the ~380 KB compressed list is only decompressed (≈25 ms)
 * by the first password check, not by every process that imports this module, and the check
 * stays synchronous.
 */
function isCommonPassword(folded: string): boolean {
  if (commonPasswords === undefined) {
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    commonPasswords = new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
  }
  return commonPasswords.has(folded);
}

function isOneRepeatedCharacter(password: string): boolean {
  return new Set(password).size === 1;
}

/** Letters only (any script), lowercased: what is left once digits, spaces and symbols go. */
function lettersOf(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{M}]/gu, '');
}

/**
 * True if the password's letters are one or more context words run together. Each context entry
 * counts whole and, split at non-letters, by its parts of three letters or more (`alice.smith`
 * yields `alicesmith`, `alice`, `smith`).
 */
function consistsOfContextWords(folded: string, context: ReadonlyArray<string>): boolean {
  const words = new Set<string>();
  for (const entry of context) {
    const whole = lettersOf(entry);
    if (whole.length > 0) words.add(whole);
    for (const part of entry.normalize('NFC').toLowerCase().split(/[^\p{L}\p{M}]+/u)) {
      if (part.length >= 3) words.add(part);
    }
  }
  const letters = lettersOf(folded);
  if (letters.length === 0 || words.size === 0) return false;
  // Word break: reachable[i] means letters[0, i) is a sequence of context words.
  const reachable: boolean[] = [true];
  for (let end = 1; end <= letters.length; end += 1) {
    reachable[end] = false;
    for (const word of words) {
      const start = end - word.length;
      if (start >= 0 && reachable[start] === true && letters.startsWith(word, start)) {
        reachable[end] = true;
        break;
      }
    }
  }
  return reachable[letters.length] === true;
}
