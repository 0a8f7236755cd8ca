/**
 * Generates an OpenPGP key pair for a project's encrypted intake. Keys are
 * returned to the caller; this module stores nothing.
 *
 * v4 keys with the legacy curve25519 algorithms (EdDSA primary, ECDH
 * subkey): RFC 9580's v6 keys and Ed25519/X25519 algorithm ids are not
 * understood by GnuPG 2.2, which is what many reporters run. No expiry: an
 * intake key that silently expires makes every reporter's tool refuse to
 * encrypt; the team replaces or removes it deliberately instead.
 */
import { generateKey } from 'openpgp';

export interface GeneratedKeyPair {
  publicKeyArmored: string;
  /** Not protected by a passphrase: the caller seals it at rest (see project-keys.service.ts). */
  privateKeyArmored: string;
  /** Upper-case hex, 40 digits for a v4 key. */
  fingerprint: string;
}

export async function generateOpenPgpKeyPair(userId: { name: string; email?: string | undefined }, date: Date): Promise<GeneratedKeyPair> {
  const { publicKey, privateKey } = await generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [userId.email === undefined ? { name: userId.name } : { name: userId.name, email: userId.email }],
    date,
    keyExpirationTime: 0,
    format: 'object',
    config: { v6Keys: false },
  });
  return { publicKeyArmored: publicKey.armor(), privateKeyArmored: privateKey.armor(), fingerprint: publicKey.getFingerprint().toUpperCase() };
}
