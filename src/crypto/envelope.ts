import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption at rest (report content, reporter identities,
 * TOTP secrets, signing keys, outbox payloads).
 *
 * AES-256-GCM in a versioned envelope:
 *
 *   version (1 byte, 0x01) | key id length (1 byte) | key id (UTF-8) | nonce (12 bytes) | ciphertext | tag (16 bytes)
 *
 * stored as base64url text (`seal`/`open`) or as raw bytes (`sealBuffer`/`openBuffer`, for attachments).
 *
 * Threats answered:
 * - A stolen database dump or backup reveals no plaintext without the keys, which live in
 *   configuration, not in the database.
 * - Tampering is detected: GCM authenticates everything, and a failure always throws an
 *   `EnvelopeError`; nothing here ever returns unauthenticated bytes.
 * - Cut-and-paste inside the database: the associated data binds each value to its
 *   `table`, `column` and `rowId`, so someone with write access to the database cannot move a
 *   ciphertext into another row or column (e.g. swap two users' TOTP secrets, or make one
 *   report show another report's content) and have it decrypt there.
 * - The header (version and key id) is part of the associated data too, so it cannot be
 *   edited to steer decryption without failing authentication.
 * - Key rotation: the envelope names its key, old keys stay in the keyring for decryption, and
 *   `needsReencryption` finds values to rewrite under the active key.
 *
 * Nonces are 96 random bits per message. NIST SP 800-38D limits one key to 2^32 random-nonce
 * messages; a disclosure platform writes orders of magnitude fewer, and rotation resets the count.
 */

export const ENVELOPE_VERSION = 1;

const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
const MAX_KEY_ID_BYTES = 64;
const HKDF_INFO = 'embargo data-at-rest v1';
const AAD_LABEL = 'embargo envelope aad v1';

export interface Keyring {
  /** The key new values are sealed under. */
  active: { id: string; key: Buffer };
  /** Every key that may still be needed to open stored values, the active one included. */
  all: ReadonlyMap<string, Buffer>;
}

/** Where a value lives. Bound into the ciphertext: the value only opens at the same place. */
export interface EnvelopeAad {
  table: string;
  column: string;
  rowId: string;
}

export type EnvelopeErrorReason =
  | 'malformed'
  | 'unsupported_version'
  | 'unknown_key'
  | 'authentication_failed'
  | 'not_text';

/**
 * Thrown for any envelope that cannot be opened. `authentication_failed` covers tampering and
 * a wrong place (AAD) alike: GCM cannot tell them apart, and callers should not try to.
 * Messages never contain key material or plaintext.
 */
export class EnvelopeError extends Error {
  readonly reason: EnvelopeErrorReason;

  constructor(reason: EnvelopeErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvelopeError';
    this.reason = reason;
  }
}

/**
 * Builds a keyring from configured secrets. The first secret is the active key; the others only
 * open older values. Each 32-byte key is derived with HKDF-SHA256 (info `embargo data-at-rest v1`),
 * so the configured text secret is never used as an AES key directly and the same secret used
 * elsewhere (e.g. as an HMAC key) yields an unrelated key here.
 *
 * Without an explicit id, the key id is the first 8 bytes of SHA-256 of the derived key, in hex.
 * That reveals nothing usable: the key is 256 bits of HKDF output, beyond brute force.
 */
export function keyringFromSecrets(secrets: ReadonlyArray<{ id?: string; secret: string }>): Keyring {
  if (secrets.length === 0) throw new Error('keyringFromSecrets: at least one secret is required');
  const all = new Map<string, Buffer>();
  let active: Keyring['active'] | undefined;
  for (const [index, { id, secret }] of secrets.entries()) {
    // Strength (length, variety) is checked where secrets are configured (config/secrets.ts); here only emptiness.
    if (secret.length === 0) throw new Error(`keyringFromSecrets: secret #${index} is empty`);
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), HKDF_INFO, KEY_LENGTH));
    const keyId = id ?? createHash('sha256').update(key).digest().subarray(0, 8).toString('hex');
    checkKeyId(keyId);
    if (all.has(keyId)) throw new Error(`keyringFromSecrets: key id ${keyId} appears twice (a secret configured twice?)`);
    all.set(keyId, key);
    active ??= { id: keyId, key };
  }
  return { active: active!, all };
}

/** Encrypts under the active key; returns base64url text for a text column. */
export function seal(keyring: Keyring, plaintext: string | Buffer, aad: EnvelopeAad): string {
  return sealBuffer(keyring, plaintext, aad).toString('base64url');
}

/** Encrypts under the active key; returns the raw envelope bytes (attachments, bytea). */
export function sealBuffer(keyring: Keyring, plaintext: string | Buffer, aad: EnvelopeAad): Buffer {
  const { id, key } = keyring.active;
  checkKeyId(id);
  checkKey(id, key);
  const header = encodeHeader(id);
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(associatedData(header, aad));
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([header, nonce, ciphertext, cipher.getAuthTag()]);
}

/** Decrypts a text envelope. Throws `EnvelopeError` unless it authenticates at exactly this place. */
export function open(keyring: Keyring, envelope: string, aad: EnvelopeAad): Buffer {
  return openBuffer(keyring, decodeText(envelope), aad);
}

/** `open`, decoded as UTF-8. Invalid UTF-8 (a Buffer sealed and opened as text) throws rather than yielding U+FFFD. */
export function openText(keyring: Keyring, envelope: string, aad: EnvelopeAad): string {
  const bytes = open(keyring, envelope, aad);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new EnvelopeError('not_text', 'envelope content is not UTF-8 text', { cause });
  }
}

export function openBuffer(keyring: Keyring, envelope: Buffer, aad: EnvelopeAad): Buffer {
  const parts = parse(envelope);
  const key = keyring.all.get(parts.keyId);
  if (key === undefined) throw new EnvelopeError('unknown_key', `envelope is sealed under key ${parts.keyId}, which is not in the keyring`);
  checkKey(parts.keyId, key);
  // parse() always cuts a 16-byte tag; authTagLength restates it so no later change can let Node accept a short (cheaper to forge) tag.
  const decipher = createDecipheriv('aes-256-gcm', key, parts.nonce, { authTagLength: TAG_LENGTH });
  decipher.setAAD(associatedData(parts.header, aad));
  decipher.setAuthTag(parts.tag);
  const plaintext = decipher.update(parts.ciphertext);
  try {
    // final() verifies the tag; until it returns, `plaintext` is unauthenticated and must not escape.
    return Buffer.concat([plaintext, decipher.final()]);
  } catch (cause) {
    plaintext.fill(0);
    throw new EnvelopeError('authentication_failed', 'envelope failed authentication (tampered, or opened at another table/column/row)', { cause });
  }
}

/**
 * `keyIdOf` needs only this many leading bytes of an envelope (the longest header, a nonce and a
 * tag), so a store can read a short prefix of each value to find the key it is under.
 */
export const KEY_ID_PREFIX_BYTES = 2 + MAX_KEY_ID_BYTES + NONCE_LENGTH + TAG_LENGTH;

/** The key id an envelope (or a prefix of at least KEY_ID_PREFIX_BYTES) names, without decrypting it. Throws `EnvelopeError` if it is malformed. */
export function keyIdOf(envelope: string | Buffer): string {
  return parse(typeof envelope === 'string' ? decodeText(envelope) : envelope).keyId;
}

/** True when the envelope is not sealed under the active key and should be rewritten (open + seal). */
export function needsReencryption(keyring: Keyring, envelope: string | Buffer): boolean {
  return keyIdOf(envelope) !== keyring.active.id;
}

interface EnvelopeParts {
  header: Buffer;
  keyId: string;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parse(envelope: Buffer): EnvelopeParts {
  if (envelope.length < 2) throw new EnvelopeError('malformed', 'envelope is truncated');
  const version = envelope[0];
  if (version !== ENVELOPE_VERSION) throw new EnvelopeError('unsupported_version', `envelope version ${String(version)} is not supported`);
  const keyIdLength = envelope[1]!;
  if (keyIdLength === 0 || keyIdLength > MAX_KEY_ID_BYTES) throw new EnvelopeError('malformed', 'envelope key id length is invalid');
  const headerLength = 2 + keyIdLength;
  if (envelope.length < headerLength + NONCE_LENGTH + TAG_LENGTH) throw new EnvelopeError('malformed', 'envelope is truncated');
  const header = envelope.subarray(0, headerLength);
  let keyId: string;
  try {
    keyId = new TextDecoder('utf-8', { fatal: true }).decode(header.subarray(2));
  } catch (cause) {
    throw new EnvelopeError('malformed', 'envelope key id is not UTF-8', { cause });
  }
  return {
    header,
    keyId,
    nonce: envelope.subarray(headerLength, headerLength + NONCE_LENGTH),
    ciphertext: envelope.subarray(headerLength + NONCE_LENGTH, envelope.length - TAG_LENGTH),
    tag: envelope.subarray(envelope.length - TAG_LENGTH),
  };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64url: Node's decoder silently skips foreign characters, which would hide corruption. */
function decodeText(envelope: string): Buffer {
  if (!BASE64URL.test(envelope)) throw new EnvelopeError('malformed', 'envelope is not base64url text');
  const bytes = Buffer.from(envelope, 'base64url');
  if (bytes.toString('base64url') !== envelope) throw new EnvelopeError('malformed', 'envelope is not canonical base64url');
  return bytes;
}

function encodeHeader(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([Buffer.from([ENVELOPE_VERSION, id.length]), id]);
}

/**
 * Canonical AAD: a label, the envelope header, table, column and rowId, each as a 4-byte
 * big-endian length followed by its bytes. Length prefixes make the encoding injective, so no
 * two different places (`a|b` + `c` vs `a` + `b|c`) can share an AAD.
 */
function associatedData(header: Buffer, aad: EnvelopeAad): Buffer {
  for (const [name, value] of [['table', aad.table], ['column', aad.column], ['rowId', aad.rowId]] as const) {
    if (typeof value !== 'string' || value.length === 0) throw new TypeError(`envelope aad.${name} must be a non-empty string`);
  }
  const fields = [Buffer.from(AAD_LABEL, 'utf8'), header, ...[aad.table, aad.column, aad.rowId].map((field) => Buffer.from(field, 'utf8'))];
  const parts: Buffer[] = [];
  for (const bytes of fields) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

function checkKeyId(id: string): void {
  const length = Buffer.byteLength(id, 'utf8');
  if (length === 0 || length > MAX_KEY_ID_BYTES) throw new Error(`key id must be 1 to ${MAX_KEY_ID_BYTES} bytes of UTF-8`);
}

function checkKey(id: string, key: Buffer): void {
  if (key.length !== KEY_LENGTH) throw new Error(`key ${id} must be ${KEY_LENGTH} bytes`);
}
