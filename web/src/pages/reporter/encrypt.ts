/**
 * OpenPGP in the reporter's browser (openpgp.js, bundled and loaded only here).
 * The project's public key is the only key involved; nothing secret leaves
 * the page unencrypted once encryption is on.
 */
async function loadKey(armoredKey: string) {
  const openpgp = await import('openpgp');
  return { openpgp, key: await openpgp.readKey({ armoredKey }) };
}

export interface Encryptor {
  fingerprint: string;
  text(plain: string): Promise<string>;
  /** An armoured message holding the file; its name travels only inside (the literal data packet), outside it is `encrypted-<n>.asc`. */
  file(file: File, index: number): Promise<File>;
}

export async function encryptorFor(armoredKey: string): Promise<Encryptor> {
  const { openpgp, key } = await loadKey(armoredKey);
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    text: async (plain) => (await openpgp.encrypt({ message: await openpgp.createMessage({ text: plain }), encryptionKeys: key })) as string,
    file: async (file, index) => {
      const message = await openpgp.createMessage({ binary: new Uint8Array(await file.arrayBuffer()), filename: file.name, format: 'binary' });
      const armored = (await openpgp.encrypt({ message, encryptionKeys: key })) as string;
      return new File([armored], `encrypted-${index + 1}.asc`, { type: 'application/pgp-encrypted' });
    },
  };
}
