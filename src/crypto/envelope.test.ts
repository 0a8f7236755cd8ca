import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EnvelopeError,
  keyIdOf,
  keyringFromSecrets,
  needsReencryption,
  open,
  openBuffer,
  openText,
  seal,
  sealBuffer,
  type EnvelopeAad,
  type EnvelopeErrorReason,
} from './envelope.ts';

const secretA = 'first-configured-secret-0123456789-abcdefghijklmnop';
const secretB = 'second-configured-secret-9876543210-zyxwvutsrqponml';
const place: EnvelopeAad = { table: 'report', column: 'body', rowId: '5c1d7c0e-0000-4000-8000-000000000001' };

function reasonOf(action: () => unknown): EnvelopeErrorReason | 'no error' {
  try {
    action();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    return (error as EnvelopeError).reason;
  }
}

/** Flips one bit of the decoded envelope and re-encodes it. */
function flipBit(envelope: string, byteIndex: number, bit = 0): string {
  const bytes = Buffer.from(envelope, 'base64url');
  bytes[byteIndex]! ^= 1 << bit;
  return bytes.toString('base64url');
}

describe('keyringFromSecrets', () => {
  it('derives 32-byte keys, the first secret active, ids from the keys', () => {
    const keyring = keyringFromSecrets([{ secret: secretA }, { secret: secretB }]);
    expect(keyring.active.key).toHaveLength(32);
    expect(keyring.active.id).toMatch(/^[0-9a-f]{16}$/);
    expect(keyring.all.size).toBe(2);
    expect(keyring.all.get(keyring.active.id)).toEqual(keyring.active.key);
    // The key is derived, not the secret's bytes.
    expect(keyring.active.key.equals(Buffer.from(secretA).subarray(0, 32))).toBe(false);
  });

  it('is deterministic, so a restart opens what was sealed before', () => {
    const first = keyringFromSecrets([{ secret: secretA }]);
    const second = keyringFromSecrets([{ secret: secretA }]);
    expect(second.active).toEqual(first.active);
    expect(openText(second, seal(first, 'kept', place), place)).toBe('kept');
  });

  it('uses a given id', () => {
    expect(keyringFromSecrets([{ id: '2026-q4', secret: secretA }]).active.id).toBe('2026-q4');
  });

  it('refuses an empty list, an empty secret and duplicate ids', () => {
    expect(() => keyringFromSecrets([])).toThrow(/at least one/);
    expect(() => keyringFromSecrets([{ secret: '' }])).toThrow(/empty/);
    expect(() => keyringFromSecrets([{ secret: secretA }, { secret: secretA }])).toThrow(/twice/);
    expect(() => keyringFromSecrets([{ id: 'k', secret: secretA }, { id: 'k', secret: secretB }])).toThrow(/twice/);
    expect(() => keyringFromSecrets([{ id: 'x'.repeat(65), secret: secretA }])).toThrow(/key id/);
  });
});

describe('seal and open', () => {
  const keyring = keyringFromSecrets([{ secret: secretA }]);

  it('round-trips text and bytes', () => {
    const envelope = seal(keyring, 'Heap overflow in the parser — PoC attached ✓', place);
    expect(envelope).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openText(keyring, envelope, place)).toBe('Heap overflow in the parser — PoC attached ✓');
    const bytes = Buffer.from([0, 255, 1, 254]);
    expect(open(keyring, seal(keyring, bytes, place), place)).toEqual(bytes);
    expect(openBuffer(keyring, sealBuffer(keyring, bytes, place), place)).toEqual(bytes);
    expect(openText(keyring, seal(keyring, '', place), place)).toBe('');
  });

  it('lays out version, key id, nonce, ciphertext and tag', () => {
    const raw = sealBuffer(keyring, 'abc', place);
    const idLength = Buffer.byteLength(keyring.active.id);
    expect(raw[0]).toBe(1);
    expect(raw[1]).toBe(idLength);
    expect(raw.subarray(2, 2 + idLength).toString()).toBe(keyring.active.id);
    expect(raw).toHaveLength(2 + idLength + 12 + 3 + 16);
  });

  it('uses a fresh nonce every time', () => {
    expect(seal(keyring, 'same', place)).not.toBe(seal(keyring, 'same', place));
  });

  it('refuses a value moved to another row, column or table', () => {
    const envelope = seal(keyring, 'secret', place);
    expect(reasonOf(() => open(keyring, envelope, { ...place, rowId: '5c1d7c0e-0000-4000-8000-000000000002' }))).toBe('authentication_failed');
    expect(reasonOf(() => open(keyring, envelope, { ...place, column: 'title' }))).toBe('authentication_failed');
    expect(reasonOf(() => open(keyring, envelope, { ...place, table: 'report_archive' }))).toBe('authentication_failed');
  });

  it('keeps field boundaries: shifting text between fields changes the AAD', () => {
    const a = { table: 'ab', column: 'c', rowId: '1' };
    const b = { table: 'a', column: 'bc', rowId: '1' };
    expect(reasonOf(() => open(keyring, seal(keyring, 'x', a), b))).toBe('authentication_failed');
  });

  it('refuses any single flipped bit, in header, nonce, ciphertext or tag', () => {
    const envelope = seal(keyring, 'integrity matters', place);
    const length = Buffer.from(envelope, 'base64url').length;
    for (let index = 0; index < length; index += 1) {
      const reason = reasonOf(() => open(keyring, flipBit(envelope, index, index % 8), place));
      expect(reason, `byte ${index}`).not.toBe('no error');
    }
    // A flip in the ciphertext itself is an authentication failure, not a parse error.
    const idLength = Buffer.byteLength(keyring.active.id);
    expect(reasonOf(() => open(keyring, flipBit(envelope, 2 + idLength + 12), place))).toBe('authentication_failed');
    expect(reasonOf(() => open(keyring, flipBit(envelope, length - 1), place))).toBe('authentication_failed');
  });

  it('refuses truncation, a shortened tag, and garbage', () => {
    const raw = sealBuffer(keyring, 'truncate me', place);
    expect(reasonOf(() => openBuffer(keyring, raw.subarray(0, raw.length - 1), place))).toBe('authentication_failed');
    expect(reasonOf(() => openBuffer(keyring, raw.subarray(0, 10), place))).toBe('malformed');
    expect(reasonOf(() => openBuffer(keyring, Buffer.alloc(0), place))).toBe('malformed');
    expect(reasonOf(() => open(keyring, 'not base64url!', place))).toBe('malformed');
    expect(reasonOf(() => open(keyring, seal(keyring, 'x', place) + '=', place))).toBe('malformed');
  });

  it('refuses text that decodes to the same bytes but is not canonical base64url', () => {
    // 4 plaintext bytes make an envelope whose base64url ends with a partial group: the last
    // character carries unused low bits, so other characters there decode to the same bytes.
    const envelope = seal(keyring, 'abcd', place);
    expect(envelope.length % 4).not.toBe(0);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variant = [...alphabet]
      .map((last) => envelope.slice(0, -1) + last)
      .find((text) => text !== envelope && Buffer.from(text, 'base64url').equals(Buffer.from(envelope, 'base64url')));
    expect(variant).toBeDefined();
    expect(reasonOf(() => open(keyring, variant!, place))).toBe('malformed');
  });

  it('refuses an unknown version', () => {
    const raw = sealBuffer(keyring, 'x', place);
    raw[0] = 2;
    expect(reasonOf(() => openBuffer(keyring, raw, place))).toBe('unsupported_version');
  });

  it('refuses an unknown key, naming it', () => {
    const other = keyringFromSecrets([{ id: 'elsewhere', secret: secretB }]);
    const envelope = seal(other, 'x', place);
    expect(reasonOf(() => open(keyring, envelope, place))).toBe('unknown_key');
    expect(() => open(keyring, envelope, place)).toThrow(/elsewhere/);
  });

  it('refuses a header rewritten to name another key in the keyring', () => {
    const both = keyringFromSecrets([{ id: 'k1', secret: secretA }, { id: 'k2', secret: secretB }]);
    const raw = sealBuffer(both, 'x', place);
    raw[3] = '2'.charCodeAt(0); // 'k1' -> 'k2'
    expect(keyIdOf(raw)).toBe('k2');
    expect(reasonOf(() => openBuffer(both, raw, place))).toBe('authentication_failed');
  });

  it('openText refuses bytes that are not UTF-8', () => {
    expect(reasonOf(() => openText(keyring, seal(keyring, Buffer.from([0xff, 0xfe]), place), place))).toBe('not_text');
  });

  it('refuses an empty place', () => {
    expect(() => seal(keyring, 'x', { ...place, rowId: '' })).toThrow(/rowId/);
  });

  it('round-trips any content at any place (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes))),
        fc.record({ table: fc.string({ minLength: 1 }), column: fc.string({ minLength: 1 }), rowId: fc.string({ minLength: 1 }) }),
        (content, at) => {
          const envelope = seal(keyring, content, at);
          const expected = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
          expect(open(keyring, envelope, at).equals(expected)).toBe(true);
          expect(openBuffer(keyring, sealBuffer(keyring, content, at), at).equals(expected)).toBe(true);
        },
      ),
    );
  });
});

describe('rotation', () => {
  const before = keyringFromSecrets([{ secret: secretA }]);
  const after = keyringFromSecrets([{ secret: secretB }, { secret: secretA }]);

  it('still opens values sealed under the previous key, and flags them for re-encryption', () => {
    const old = seal(before, 'from last year', place);
    expect(keyIdOf(old)).toBe(before.active.id);
    expect(openText(after, old, place)).toBe('from last year');
    expect(needsReencryption(after, old)).toBe(true);
    expect(needsReencryption(before, old)).toBe(false);

    const rewritten = seal(after, openText(after, old, place), place);
    expect(keyIdOf(rewritten)).toBe(after.active.id);
    expect(needsReencryption(after, rewritten)).toBe(false);
    expect(reasonOf(() => open(before, rewritten, place))).toBe('unknown_key');
  });

  it('keyIdOf and needsReencryption refuse malformed envelopes', () => {
    expect(reasonOf(() => keyIdOf('AA'))).toBe('malformed');
    expect(reasonOf(() => needsReencryption(after, '***'))).toBe('malformed');
  });
});
