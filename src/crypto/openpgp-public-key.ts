/**
 * Reads an OpenPGP public key someone gave us (a reporter, a team uploading
 * its intake key) and checks that mail can be encrypted to it now. Problems
 * are coded `validation_failed` errors at the caller's field path; key
 * material is never echoed in a message.
 */
import { readKey, type Key, type PublicKey } from 'openpgp';
import { EmbargoError } from '../errors.ts';

export interface EncryptionPublicKey {
  /** The key re-armoured from its parsed packets: only the first key of the input, never private material. */
  armored: string;
  fingerprint: string;
}

/**
 * The moment a key is checked at: now, or its newest creation time when that is later. A key
 * made a moment ago on a machine whose clock runs ahead of ours is otherwise "not yet valid";
 * expiry and revocation are still judged at the real now or after it.
 */
export function keyCheckDate(key: Key, now: Date): Date {
  const created = [key.getCreationTime(), ...key.subkeys.map((subkey) => subkey.getCreationTime())].map((date) => date.getTime());
  return new Date(Math.max(now.getTime(), ...created));
}

function refuse(path: string, problem: string, cause?: unknown): EmbargoError {
  return new EmbargoError('validation_failed', `The OpenPGP key ${problem}`, [{ path, message: problem }], { cause });
}

export async function readEncryptionPublicKey(armored: string, options: { now: Date; path: string }): Promise<EncryptionPublicKey> {
  let key: PublicKey;
  try {
    key = await readKey({ armoredKey: armored });
  } catch (error) {
    throw refuse(options.path, 'is not an ASCII-armoured OpenPGP public key', error);
  }
  // A reporter who pastes their private key must not have it stored; the message says so without repeating it.
  if (key.isPrivate()) throw refuse(options.path, 'is a private key: send only the public key (never share your private key)');
  const date = keyCheckDate(key, options.now);
  try {
    await key.verifyPrimaryKey(date);
  } catch (error) {
    throw refuse(options.path, 'is not usable: it is expired, revoked or not validly self-signed', error);
  }
  try {
    await key.getEncryptionKey(undefined, date);
  } catch (error) {
    throw refuse(options.path, 'has no valid encryption subkey (it can only sign)', error);
  }
  return { armored: key.armor(), fingerprint: key.getFingerprint().toUpperCase() };
}
