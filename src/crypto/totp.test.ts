import { HOTP, Secret, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { generateTotpSecret, totpStepAt, totpUri, verifyTotp } from './totp.ts';

// RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890"; 6-digit codes are the last six of its 8-digit values.
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number) => new Date(seconds * 1000);

/** The code for a given step, computed independently of the module under test. */
function codeAt(secret: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, counter: step });
}

describe('generateTotpSecret', () => {
  it('is 160 random bits in base32', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(secret).bytes).toHaveLength(20);
    expect(new Set(Array.from({ length: 20 }, generateTotpSecret)).size).toBe(20);
  });
});

describe('totpUri', () => {
  it('is an otpauth URI an authenticator can read back', () => {
    const uri = totpUri({ secret: rfcSecret, issuer: 'Embargo (acme)', accountName: 'alice@example.org' });
    expect(uri.startsWith('otpauth://totp/Embargo%20(acme):alice%40example.org?')).toBe(true);
    const parsed = URI.parse(uri);
    expect(parsed.issuer).toBe('Embargo (acme)');
    expect(parsed.label).toBe('alice@example.org');
    expect(parsed.secret.base32).toBe(rfcSecret);
    expect(uri).toContain('algorithm=SHA1');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });

  it('refuses colons and empty parts', () => {
    expect(() => totpUri({ secret: rfcSecret, issuer: 'a:b', accountName: 'alice' })).toThrow(/":"/);
    expect(() => totpUri({ secret: rfcSecret, issuer: 'Embargo', accountName: 'x:y' })).toThrow(/":"/);
    expect(() => totpUri({ secret: rfcSecret, issuer: '', accountName: 'alice' })).toThrow(/empty/);
  });
});

describe('verifyTotp', () => {
  it('matches the RFC 6238 test vectors', () => {
    const vectors: Array<[number, string]> = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ];
    for (const [seconds, code] of vectors) {
      expect(verifyTotp({ secret: rfcSecret, code, now: at(seconds), lastUsedStep: null, window: 0 })).toEqual({
        ok: true,
        step: Math.floor(seconds / 30),
      });
    }
  });

  const secret = generateTotpSecret();
  const now = new Date('2026-11-23T12:00:10Z');
  const step = totpStepAt(now);
  const code = codeAt(secret, step);

  it('accepts the current code and returns its step', () => {
    expect(step).toBe(Math.floor(now.getTime() / 30_000));
    expect(verifyTotp({ secret, code, now, lastUsedStep: null })).toEqual({ ok: true, step });
  });

  it('accepts one step of clock skew either way with window 1, not three', () => {
    expect(verifyTotp({ secret, code, now: new Date(now.getTime() + 30_000), lastUsedStep: null })).toEqual({ ok: true, step });
    expect(verifyTotp({ secret, code, now: new Date(now.getTime() - 30_000), lastUsedStep: null })).toEqual({ ok: true, step });
    for (const offset of [60_000, -60_000, 90_000]) {
      expect(verifyTotp({ secret, code, now: new Date(now.getTime() + offset), lastUsedStep: null }), String(offset)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(verifyTotp({ secret, code, now: new Date(now.getTime() - 90_000), lastUsedStep: null })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('with window 0 accepts only the current step', () => {
    expect(verifyTotp({ secret, code, now, lastUsedStep: null, window: 0 }).ok).toBe(true);
    expect(verifyTotp({ secret, code, now: new Date(now.getTime() + 30_000), lastUsedStep: null, window: 0 })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a code used before, and any earlier one, as replayed', () => {
    expect(verifyTotp({ secret, code, now, lastUsedStep: step })).toEqual({ ok: false, reason: 'replayed' });
    // Still inside its validity 30 s later: still a replay.
    expect(verifyTotp({ secret, code, now: new Date(now.getTime() + 30_000), lastUsedStep: step })).toEqual({ ok: false, reason: 'replayed' });
    const previous = codeAt(secret, step - 1);
    expect(verifyTotp({ secret, code: previous, now, lastUsedStep: step })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('accepts the next step after a use', () => {
    const next = codeAt(secret, step + 1);
    expect(verifyTotp({ secret, code: next, now: new Date(now.getTime() + 30_000), lastUsedStep: step })).toEqual({ ok: true, step: step + 1 });
  });

  it('accepts only six ASCII digits', () => {
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (const candidate of [wrong, code.slice(0, 5), `${code}0`, ` ${code}`, `${code.slice(0, 3)} ${code.slice(3)}`, '', 'abcdef', code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))]) {
      expect(verifyTotp({ secret, code: candidate, now, lastUsedStep: null }), JSON.stringify(candidate)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses a bad window and a broken stored secret loudly', () => {
    expect(() => verifyTotp({ secret, code, now, lastUsedStep: null, window: -1 })).toThrow(RangeError);
    expect(() => verifyTotp({ secret, code, now, lastUsedStep: null, window: 1.5 })).toThrow(RangeError);
    expect(() => verifyTotp({ secret, code, now, lastUsedStep: null, window: 6 })).toThrow(RangeError);
    expect(() => verifyTotp({ secret, code, now: new Date(Number.NaN), lastUsedStep: null })).toThrow(RangeError);
    expect(() => verifyTotp({ secret: 'not base32!', code, now, lastUsedStep: null })).toThrow();
  });
});
