import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The encrypted container of `embargo backup`: AES-256-GCM over the whole payload under a key
 * derived per file from the configured backup key.
 *
 *   magic "EMBARGO-BACKUP" (14 bytes) | format version (1 byte, 0x01) | header length (4 bytes, big-endian)
 *   | header (UTF-8 JSON: keyId, salt, nonce, createdAt, engine) | ciphertext | tag (16 bytes)
 *
 * - Everything before the ciphertext is associated data: editing the header (e.g. the engine or
 *   the date a restore prints) fails authentication like editing the ciphertext does.
 * - The file key is HKDF-SHA256(backup key, 32-byte random salt, "embargo backup v1"): every file
 *   has its own key, so random 96-bit nonces never meet under one key however many backups are made.
 * - The header names the backup key by a fingerprint, so a wrong key is reported as such
 *   ("made with key X, the configured key is Y") instead of as a damaged file.
 * - The payload is encrypted in one piece (a backup is built in memory, see services/backup); GCM
 *   allows up to 64 GiB per message, far above what one Node Buffer holds.
 */
const MAGIC = Buffer.from('EMBARGO-BACKUP', 'ascii');
export const BACKUP_FORMAT_VERSION = 1;
const TAG_LENGTH = 16;
const MAX_HEADER_BYTES = 4096;
const HKDF_INFO = 'embargo backup v1';

export interface BackupHeader {
  keyId: string;
  createdAt: string;
  engine: string;
}

export class BackupEnvelopeError extends Error {
  readonly reason: 'not_a_backup' | 'unsupported_version' | 'wrong_key' | 'authentication_failed';
  constructor(reason: BackupEnvelopeError['reason'], message: string) {
    super(message);
    this.name = 'BackupEnvelopeError';
    this.reason = reason;
  }
}

/** A fingerprint of the backup key, safe to print and to store in the clear header. */
export function backupKeyId(key: Buffer): string {
  return createHash('sha256').update('embargo backup key id v1\0').update(key).digest('hex').slice(0, 16);
}

function fileKey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, HKDF_INFO, 32));
}

export function sealBackup(key: Buffer, header: Omit<BackupHeader, 'keyId'>, payload: Buffer): Buffer {
  const salt = randomBytes(32);
  const nonce = randomBytes(12);
  const headerBytes = Buffer.from(JSON.stringify({ ...header, keyId: backupKeyId(key), salt: salt.toString('base64'), nonce: nonce.toString('base64') }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  const aad = Buffer.concat([MAGIC, Buffer.from([BACKUP_FORMAT_VERSION]), length, headerBytes]);
  const cipher = createCipheriv('aes-256-gcm', fileKey(key, salt), nonce).setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(payload), cipher.final()]);
  return Buffer.concat([aad, ciphertext, cipher.getAuthTag()]);
}

/** Reads the clear header only (to say which key a file needs) without decrypting. */
export function readBackupHeader(file: Buffer): BackupHeader & { salt: Buffer; nonce: Buffer; headerEnd: number } {
  if (file.length < MAGIC.length + 5 + TAG_LENGTH || !timingSafeEqual(file.subarray(0, MAGIC.length), MAGIC)) throw new BackupEnvelopeError('not_a_backup', 'this is not an Embargo backup file');
  const version = file[MAGIC.length];
  if (version !== BACKUP_FORMAT_VERSION) throw new BackupEnvelopeError('unsupported_version', `backup format version ${version} is not supported by this Embargo (it reads version ${BACKUP_FORMAT_VERSION})`);
  const headerLength = file.readUInt32BE(MAGIC.length + 1);
  const headerEnd = MAGIC.length + 5 + headerLength;
  if (headerLength > MAX_HEADER_BYTES || headerEnd + TAG_LENGTH > file.length) throw new BackupEnvelopeError('not_a_backup', 'the backup header is damaged');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(file.subarray(MAGIC.length + 5, headerEnd).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new BackupEnvelopeError('not_a_backup', 'the backup header is damaged');
  }
  const { keyId, createdAt, engine, salt, nonce } = parsed;
  if (typeof keyId !== 'string' || typeof createdAt !== 'string' || typeof engine !== 'string' || typeof salt !== 'string' || typeof nonce !== 'string') {
    throw new BackupEnvelopeError('not_a_backup', 'the backup header is damaged');
  }
  return { keyId, createdAt, engine, salt: Buffer.from(salt, 'base64'), nonce: Buffer.from(nonce, 'base64'), headerEnd };
}

/** Authenticates and decrypts; never returns bytes that failed authentication. */
export function openBackup(key: Buffer, file: Buffer): { header: BackupHeader; payload: Buffer } {
  const { salt, nonce, headerEnd, ...header } = readBackupHeader(file);
  const configured = backupKeyId(key);
  if (header.keyId !== configured) throw new BackupEnvelopeError('wrong_key', `this backup was made with backup key ${header.keyId}; the configured backup key is ${configured}`);
  if (salt.length !== 32 || nonce.length !== 12) throw new BackupEnvelopeError('authentication_failed', 'the backup is damaged or was tampered with');
  const decipher = createDecipheriv('aes-256-gcm', fileKey(key, salt), nonce).setAAD(file.subarray(0, headerEnd));
  decipher.setAuthTag(file.subarray(file.length - TAG_LENGTH));
  try {
    const payload = Buffer.concat([decipher.update(file.subarray(headerEnd, file.length - TAG_LENGTH)), decipher.final()]);
    return { header, payload };
  } catch {
    throw new BackupEnvelopeError('authentication_failed', 'the backup is damaged or was tampered with (authentication failed)');
  }
}
