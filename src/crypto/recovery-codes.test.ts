import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashSecretToken } from './secret-token.ts';
import { generateRecoveryCodes, hashRecoveryCode, isWellFormedRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_BITS } from './recovery-codes.ts';

const serverSecret = 'server-secret-for-tests-0123456789-abcdefghijkl';

describe('generateRecoveryCodes', () => {
  it('makes ten distinct xxxxx-xxxxx codes from the unambiguous alphabet', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
      expect(code).not.toMatch(/[ilou]/);
      expect(isWellFormedRecoveryCode(code)).toBe(true);
    }
    expect(RECOVERY_CODE_BITS).toBeGreaterThanOrEqual(50);
  });

  it('honours count and refuses silly ones', () => {
    expect(generateRecoveryCodes(3)).toHaveLength(3);
    expect(() => generateRecoveryCodes(0)).toThrow(RangeError);
    expect(() => generateRecoveryCodes(2.5)).toThrow(RangeError);
  });

  it('uses the whole alphabet (no stuck characters)', () => {
    const seen = new Set(generateRecoveryCodes(100).join('').replace(/-/g, ''));
    expect(seen.size).toBe(32);
  });
});

describe('hashRecoveryCode', () => {
  const [code] = generateRecoveryCodes(1) as [string];
  const stored = hashRecoveryCode(code, serverSecret);

  it('is a keyed SHA-256 hex digest that depends on the secret', () => {
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code, `${serverSecret}x`)).not.toBe(stored);
    // Keyed: a plain SHA-256 or an HMAC without the label differ.
    expect(stored).not.toBe(createHmac('sha256', serverSecret).update(code.replace('-', '')).digest('hex'));
  });

  it('matches codes typed loosely', () => {
    const bare = code.replace('-', '');
    for (const typed of [code, code.toUpperCase(), bare, ` ${code.slice(0, 3)} ${code.slice(3)} `, bare.split('').join(' '), `${bare.slice(0, 5)}_${bare.slice(5)}`]) {
      expect(hashRecoveryCode(typed, serverSecret), typed).toBe(stored);
    }
  });

  it('maps Crockford look-alikes and full-width input to the same code', () => {
    expect(normaliseRecoveryCode('O0Il1-ABCDE')).toBe('00111abcde');
    expect(hashRecoveryCode('o0il1-abcde', serverSecret)).toBe(hashRecoveryCode('00111-ABCDE', serverSecret));
    expect(normaliseRecoveryCode('ＡＢＣＤＥ－１２３４５')).toBe('abcde12345');
  });

  it('distinguishes different codes (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-hjkmnp-tv-z]{10}$/), fc.stringMatching(/^[0-9a-hjkmnp-tv-z]{10}$/), (a, b) => {
        fc.pre(a !== b);
        expect(hashRecoveryCode(a, serverSecret)).not.toBe(hashRecoveryCode(b, serverSecret));
      }),
    );
  });

  it('never equals a bearer-token hash under the same secret', () => {
    expect(hashRecoveryCode(code, serverSecret)).not.toBe(hashSecretToken(normaliseRecoveryCode(code), serverSecret));
  });

  it('isWellFormedRecoveryCode rejects wrong lengths and letters outside the alphabet', () => {
    expect(isWellFormedRecoveryCode('abcde-1234')).toBe(false);
    expect(isWellFormedRecoveryCode('abcde-12345-6')).toBe(false);
    expect(isWellFormedRecoveryCode('abcde-1234u')).toBe(false);
  });
});
