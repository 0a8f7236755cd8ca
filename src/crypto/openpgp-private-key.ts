/**
 * Reads a private key a team uploads for intake and unlocks it with its
 * passphrase, so the server can decrypt unattended. Checks that it belongs to
 * the public key given with it and that it can decrypt. Errors are coded at
 * the caller's field paths and never contain key material.
 */
import { decryptKey, readPrivateKey, type PrivateKey } from 'openpgp';
import { EmbargoError } from '../errors.ts';
import { keyCheckDate } from './openpgp-public-key.ts';

export interface UnlockedPrivateKey {
  /** Armoured without passphrase protection: seal it before storing. */
  armored: string;
  fingerprint: string;
}

function refuse(path: string, problem: string, cause?: unknown): EmbargoError {
  return new EmbargoError('validation_failed', `The private key ${problem}`, [{ path, message: problem }], { cause });
}

export async function unlockPrivateKey(
  armored: string,
  options: { passphrase?: string | undefined; expectedFingerprint: string; now: Date; paths: { key: string; passphrase: string } },
): Promise<UnlockedPrivateKey> {
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey: armored });
  } catch (error) {
    throw refuse(options.paths.key, 'is not an ASCII-armoured OpenPGP private key', error);
  }
  if (key.getFingerprint().toUpperCase() !== options.expectedFingerprint) throw refuse(options.paths.key, 'does not belong to the public key given with it');
  if (!key.isDecrypted()) {
    if (options.passphrase === undefined) throw refuse(options.paths.passphrase, 'is protected by a passphrase: give it so the server can decrypt reports');
    try {
      key = await decryptKey({ privateKey: key, passphrase: options.passphrase });
    } catch (error) {
      throw refuse(options.paths.passphrase, 'is not unlocked by this passphrase', error);
    }
  }
  const decryptionKeys = await key.getDecryptionKeys(undefined, keyCheckDate(key, options.now)).catch(() => []);
  if (decryptionKeys.length === 0) throw refuse(options.paths.key, 'has no usable decryption subkey');
  return { armored: key.armor(), fingerprint: key.getFingerprint().toUpperCase() };
}
