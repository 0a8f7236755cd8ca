/**
 * Encrypts to one recipient's OpenPGP public key, ASCII-armoured. The key is
 * passed in; whoever calls this has validated it (openpgp-public-key.ts) and
 * this re-checks nothing beyond what openpgp refuses on its own (expired,
 * revoked, no encryption subkey).
 */
import { createMessage, encrypt, readKey } from 'openpgp';
import { keyCheckDate } from './openpgp-public-key.ts';

export async function encryptToPublicKey(armoredPublicKey: string, data: string | Uint8Array, now: Date): Promise<string> {
  const encryptionKeys = await readKey({ armoredKey: armoredPublicKey });
  // Judged like at validation: a key from a machine whose clock runs slightly ahead is not "not yet valid".
  const date = keyCheckDate(encryptionKeys, now);
  const message = typeof data === 'string' ? await createMessage({ text: data, date }) : await createMessage({ binary: data, date });
  return encrypt({ message, encryptionKeys, date });
}
