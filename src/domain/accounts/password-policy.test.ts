import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkPassword, normalisePassword, passwordLength, type PasswordCheck, type PasswordProblemCode } from './password-policy.ts';

const context = ['alice.smith', 'embargo', 'Acme Corp'];

function codes(result: PasswordCheck): PasswordProblemCode[] {
  return result.ok ? [] : result.problems.map((problem) => problem.code);
}

const check = (password: string, options: Partial<Parameters<typeof checkPassword>[1]> = {}) => checkPassword(password, { context, ...options });

describe('checkPassword', () => {
  it('accepts a passphrase', () => {
    expect(check('correct horse battery staple')).toEqual({ ok: true });
    expect(check('Ü-bahn tickets & 7 rainy mornings')).toEqual({ ok: true });
  });

  it('refuses common passwords from the shipped list, case-insensitively', () => {
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    expect(dictionary['passwords-common']).toContain('password1234');
    expect(codes(check('password1234'))).toEqual(['common']);
    expect(codes(check('PassWord1234'))).toEqual(['common']);
    expect(codes(check('qwertyuiop12'))).toEqual(['common']);
    expect(codes(check('1qaz2wsx3edc'))).toEqual(['common']);
  });

  it('reports every problem at once', () => {
    expect(codes(check('password'))).toEqual(['too_short', 'common']);
    expect(codes(check('embargo'))).toEqual(['too_short', 'contains_context']);
  });

  it('refuses a single repeated character, twelve spaces included, as common', () => {
    expect(codes(check(' '.repeat(12)))).toEqual(['common']);
    expect(codes(check('z'.repeat(40)))).toEqual(['common']);
    // Spaces are ordinary characters otherwise: never trimmed.
    expect(check('  long enough phrase  ')).toEqual({ ok: true });
    expect(codes(check(' short one '))).toEqual(['too_short']);
  });

  it('refuses passwords made of context words, digits and symbols', () => {
    for (const password of ['embargo12345', 'Embargo2026!!', 'alice.smith1990', 'smith-alice-42', 'AcmeCorpEmbargo', 'acme acme acme 1', 'EMBARGOEMBARGO']) {
      expect(codes(check(password)), password).toEqual(['contains_context']);
    }
  });

  it('accepts passwords that merely contain a context word among others', () => {
    expect(check('embargo the river otters 2026')).toEqual({ ok: true });
    expect(check('alice likes sourdough')).toEqual({ ok: true });
    // With no context, the same strings are fine.
    expect(checkPassword('embargo12345', { context: [] })).toEqual({ ok: true });
    // Digits alone are not context.
    expect(checkPassword('905713462897', { context: ['', '...'] })).toEqual({ ok: true });
  });

  it('enforces the minimum length, configurable but never below 8', () => {
    expect(codes(check('kettle plum'))).toEqual(['too_short']);
    expect(check('kettle plum', { minLength: 8 })).toEqual({ ok: true });
    expect(() => check('kettle plum', { minLength: 7 })).toThrow(RangeError);
    expect(() => check('kettle plum', { minLength: 8.5 })).toThrow(RangeError);
    expect(codes(check('kettle plum river', { minLength: 20 }))).toEqual(['too_short']);
  });

  it('allows 64 and 128 characters and refuses 129', () => {
    const word = 'tangerine ';
    expect(check(word.repeat(7).slice(0, 64))).toEqual({ ok: true });
    const at128 = (word.repeat(13) + 'x').slice(0, 128);
    expect(passwordLength(at128)).toBe(128);
    expect(check(at128)).toEqual({ ok: true });
    expect(codes(check(`${at128}y`))).toEqual(['too_long']);
    expect(codes(check('a'.repeat(100_000)))).toEqual(['too_long']);
  });

  it('refuses a maximum below 128 or absurdly large', () => {
    expect(() => check('kettle plum river', { maxLength: 64 })).toThrow(RangeError);
    expect(() => check('kettle plum river', { maxLength: 100_000 })).toThrow(RangeError);
    expect(check('kettle plum river', { maxLength: 256 })).toEqual({ ok: true });
    expect(() => check('kettle plum river', { minLength: 200, maxLength: 150 })).toThrow(RangeError);
  });

  it('counts code points after NFC, so an emoji is one character', () => {
    expect('🔒'.length).toBe(2);
    expect(passwordLength('🔒')).toBe(1);
    // 11 code points (but 12 UTF-16 units): too short.
    expect(codes(check('🔒 vault key'))).toEqual(['too_short']);
    expect(check('🔒 vault keys')).toEqual({ ok: true });
    // Six decomposed é (12 code points before NFC, 6 after) are too short.
    const decomposed = 'e\u0301'.repeat(6) + 'blah';
    expect(passwordLength(decomposed)).toBe(10);
    expect(codes(check(decomposed))).toEqual(['too_short']);
    expect(normalisePassword('e\u0301')).toBe('\u00e9');
  });
});
