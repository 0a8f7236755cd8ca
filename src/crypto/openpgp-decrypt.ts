/**
 * Decrypts ASCII-armoured OpenPGP messages with a private key passed in (held
 * unlocked by the caller). The output is bytes: it may be text, or a MIME
 * entity when the sender used PGP/MIME (RFC 3156), which the caller unwraps.
 *
 * `maxBytes` bounds the plaintext: a few hundred kilobytes of compressed
 * message can otherwise expand to gigabytes in memory (openpgp checks the
 * limit while decompressing, so a bomb fails early).
 */
import { decrypt, readMessage, readPrivateKey } from 'openpgp';

export class OpenPgpDecryptError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpenPgpDecryptError';
  }
}

const ARMORED_MESSAGE = /-----BEGIN PGP MESSAGE-----\r?\n[\s\S]*?-----END PGP MESSAGE-----/g;

/** Where armoured messages sit in a text (inline PGP: a message may be surrounded by other text). */
export function findArmoredMessages(text: string): Array<{ start: number; end: number; armored: string }> {
  return [...text.matchAll(ARMORED_MESSAGE)].map((match) => ({ start: match.index, end: match.index + match[0].length, armored: match[0] }));
}

export async function decryptArmoredMessage(armored: string, armoredPrivateKey: string, options: { maxBytes: number }): Promise<Uint8Array> {
  const decryptionKeys = await readPrivateKey({ armoredKey: armoredPrivateKey });
  if (!decryptionKeys.isDecrypted()) throw new OpenPgpDecryptError('the private key is locked; it must be stored unlocked');
  try {
    const message = await readMessage({ armoredMessage: armored });
    const { data } = await decrypt({ message, decryptionKeys, format: 'binary', config: { maxDecompressedMessageSize: options.maxBytes } });
    if (data.length > options.maxBytes) throw new OpenPgpDecryptError(`the decrypted message is larger than ${options.maxBytes} bytes`);
    return data;
  } catch (error) {
    if (error instanceof OpenPgpDecryptError) throw error;
    throw new OpenPgpDecryptError(`cannot decrypt the message: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
