/**
 * OpenPGP cleartext signatures, the form RFC 9116 §2.3 requires for a signed
 * security.txt: the text stays readable and the signature follows it. Keys
 * are always passed in by the caller; this module never reads key material.
 */
import { createCleartextMessage, decryptKey, readCleartextMessage, readKey, readPrivateKey, sign, verify } from 'openpgp';
import type { PrivateKey } from 'openpgp';
import { EmbargoError } from '../errors.ts';

export interface SigningKey {
  armoredPrivateKey: string;
  /** Needed when the private key is protected by a passphrase. */
  passphrase?: string;
}

export async function signCleartext(text: string, key: SigningKey): Promise<string> {
  const signingKey = await unlockedKey(key);
  const message = await createCleartextMessage({ text });
  return sign({ message, signingKeys: signingKey });
}

export type CleartextVerification = { valid: true; text: string; signingKeyId: string } | { valid: false; reason: string };

/** Checks a cleartext-signed message against one public key. Never throws for a bad signature: it says why. */
export async function verifyCleartext(signed: string, armoredPublicKey: string): Promise<CleartextVerification> {
  try {
    const message = await readCleartextMessage({ cleartextMessage: signed });
    const verificationKeys = await readKey({ armoredKey: armoredPublicKey });
    const { data, signatures } = await verify({ message, verificationKeys });
    const [signature] = signatures;
    if (signature === undefined) return { valid: false, reason: 'The message carries no signature' };
    await signature.verified;
    return { valid: true, text: data, signingKeyId: signature.keyID.toHex() };
  } catch (error) {
    return { valid: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

async function unlockedKey(key: SigningKey): Promise<PrivateKey> {
  let privateKey: PrivateKey;
  try {
    privateKey = await readPrivateKey({ armoredKey: key.armoredPrivateKey });
  } catch (error) {
    throw keyError('armoredPrivateKey', 'is not an ASCII-armored OpenPGP private key', error);
  }
  if (privateKey.isDecrypted()) return privateKey;
  if (key.passphrase === undefined) throw keyError('passphrase', 'is required: the private key is protected by a passphrase');
  try {
    return await decryptKey({ privateKey, passphrase: key.passphrase });
  } catch (error) {
    throw keyError('passphrase', 'does not unlock the private key', error);
  }
}

function keyError(path: string, problem: string, cause?: unknown): EmbargoError {
  return new EmbargoError('validation_failed', `Signing key ${path} ${problem}`, [{ path, message: problem }], { cause });
}
