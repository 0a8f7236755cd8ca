import { createMessage, readKey, readPrivateKey, readSignature, sign, verify } from 'openpgp';

/**
 * Detached OpenPGP signatures, as CSAF §7.1.20 asks for next to each
 * document (`file.json.asc`): consumers verify the bytes they downloaded
 * against the provider's published key. The key is passed in.
 */
export async function signDetached(data: string, armoredPrivateKey: string, date: Date): Promise<string> {
  const signingKeys = await readPrivateKey({ armoredKey: armoredPrivateKey });
  const message = await createMessage({ text: data, format: 'binary' });
  return sign({ message, signingKeys, detached: true, format: 'armored', date });
}

export async function verifyDetached(data: string, armoredSignature: string, armoredPublicKey: string): Promise<boolean> {
  const message = await createMessage({ text: data, format: 'binary' });
  const result = await verify({ message, signature: await readSignature({ armoredSignature }), verificationKeys: await readKey({ armoredKey: armoredPublicKey }) });
  try {
    await result.signatures[0]?.verified;
    return result.signatures.length > 0;
  } catch {
    return false;
  }
}
