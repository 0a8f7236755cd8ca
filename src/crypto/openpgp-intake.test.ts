import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMessage, encrypt, enums, generateKey, readKey, revokeKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbargoError } from '../errors.ts';
import { parseIntakeAddress, replyAddress } from '../domain/reports/intake-address.ts';
import { generateMailToken } from './mail-token.ts';
import { decryptArmoredMessage, findArmoredMessages, OpenPgpDecryptError } from './openpgp-decrypt.ts';
import { encryptToPublicKey } from './openpgp-encrypt.ts';
import { generateOpenPgpKeyPair, type GeneratedKeyPair } from './openpgp-generate-key.ts';
import { unlockPrivateKey } from './openpgp-private-key.ts';
import { readEncryptionPublicKey } from './openpgp-public-key.ts';

const run = promisify(execFile);
const now = new Date();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function refusal(promise: Promise<unknown>): Promise<{ code: string; path: string | undefined; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof EmbargoError)) throw new Error(`expected an EmbargoError, got ${String(error)}`);
  return { code: error.code, path: error.details[0]?.path, message: error.message };
}

let pair: GeneratedKeyPair;
let gnupgHome: string;

beforeAll(async () => {
  pair = await generateOpenPgpKeyPair({ name: 'Payqi security team', email: 'security+payqi@cvd.example.org' }, now);
  gnupgHome = await mkdtemp(join(tmpdir(), 'embargo-gnupg-'));
});

afterAll(async () => {
  await run('/usr/bin/gpgconf', ['--homedir', gnupgHome, '--kill', 'gpg-agent']).catch(() => undefined);
  await rm(gnupgHome, { recursive: true, force: true });
});

describe('intake key pairs', () => {
  it('are v4 EdDSA/ECDH curve25519 keys, which GnuPG 2.2 understands', async () => {
    const key = await readKey({ armoredKey: pair.publicKeyArmored });
    expect(key.keyPacket.version).toBe(4);
    expect(key.getAlgorithmInfo()).toMatchObject({ algorithm: 'eddsaLegacy' });
    expect(key.subkeys.map((subkey) => subkey.getAlgorithmInfo())).toEqual([{ algorithm: 'ecdh', curve: 'curve25519Legacy' }]);
    expect(pair.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(pair.publicKeyArmored).not.toContain('PRIVATE');
  });

  it('decrypt what GnuPG 2.2 encrypts to them', async () => {
    const keyFile = join(gnupgHome, 'intake.asc');
    await writeFile(keyFile, pair.publicKeyArmored);
    await run('/usr/bin/gpg', ['--homedir', gnupgHome, '--batch', '--import', keyFile]);
    const plain = join(gnupgHome, 'report.txt');
    await writeFile(plain, 'Heap overflow in the PDF parser, found with GnuPG 2.2');
    await run('/usr/bin/gpg', ['--homedir', gnupgHome, '--batch', '--yes', '--trust-model', 'always', '--armor', '--encrypt', '--recipient', pair.fingerprint, '--output', `${plain}.asc`, plain]);
    const armored = await readFile(`${plain}.asc`, 'utf8');
    expect(text(await decryptArmoredMessage(armored, pair.privateKeyArmored, { maxBytes: 1024 }))).toBe('Heap overflow in the PDF parser, found with GnuPG 2.2');
  });
});

describe('decryptArmoredMessage', () => {
  it('round-trips with encryptToPublicKey, bytes included', async () => {
    const armored = await encryptToPublicKey(pair.publicKeyArmored, 'Grüße, secret text', now);
    expect(text(await decryptArmoredMessage(armored, pair.privateKeyArmored, { maxBytes: 1024 }))).toBe('Grüße, secret text');
    const binary = await encryptToPublicKey(pair.publicKeyArmored, new Uint8Array([0, 1, 2, 255]), now);
    expect([...(await decryptArmoredMessage(binary, pair.privateKeyArmored, { maxBytes: 1024 }))]).toEqual([0, 1, 2, 255]);
  });

  it('refuses a compression bomb without expanding it', async () => {
    const encryptionKeys = await readKey({ armoredKey: pair.publicKeyArmored });
    const bomb = await encrypt({ message: await createMessage({ binary: new Uint8Array(20 * 1024 * 1024) }), encryptionKeys, config: { preferredCompressionAlgorithm: enums.compression.zlib } });
    expect(bomb.length).toBeLessThan(100_000);
    await expect(decryptArmoredMessage(bomb, pair.privateKeyArmored, { maxBytes: 1024 * 1024 })).rejects.toThrow(OpenPgpDecryptError);
  });

  it('fails with OpenPgpDecryptError for another recipient and for garbage', async () => {
    const other = await generateOpenPgpKeyPair({ name: 'Someone else' }, now);
    const armored = await encryptToPublicKey(other.publicKeyArmored, 'not for you', now);
    await expect(decryptArmoredMessage(armored, pair.privateKeyArmored, { maxBytes: 1024 })).rejects.toThrow(OpenPgpDecryptError);
    await expect(decryptArmoredMessage('-----BEGIN PGP MESSAGE-----\n\nnope\n-----END PGP MESSAGE-----', pair.privateKeyArmored, { maxBytes: 1024 })).rejects.toThrow(OpenPgpDecryptError);
  });

  it('finds inline messages inside other text', async () => {
    const armored = await encryptToPublicKey(pair.publicKeyArmored, 'x', now);
    const found = findArmoredMessages(`Hello,\n\n${armored}\n\n-- \nsignature`);
    expect(found).toHaveLength(1);
    expect(found[0]!.armored).toBe(armored.trim());
    expect(findArmoredMessages('no pgp here')).toEqual([]);
  });
});

describe('readEncryptionPublicKey', () => {
  const read = (armored: string) => readEncryptionPublicKey(armored, { now, path: 'body.reporter_public_key' });

  it('returns the public key alone, with its fingerprint', async () => {
    const key = await read(pair.publicKeyArmored);
    expect(key.fingerprint).toBe(pair.fingerprint);
    expect(key.armored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
  });

  it('refuses private keys, unusable keys and keys that cannot encrypt, at the given path', async () => {
    const privateKey = await refusal(read(pair.privateKeyArmored));
    expect(privateKey).toMatchObject({ code: 'validation_failed', path: 'body.reporter_public_key' });
    expect(privateKey.message).toMatch(/private key/);
    expect(privateKey.message).not.toContain('BEGIN');

    const expired = await generateKey({ userIDs: [{ name: 'x' }], keyExpirationTime: 60, date: new Date(now.getTime() - 3_600_000), format: 'armored' });
    expect((await refusal(read(expired.publicKey))).message).toMatch(/expired, revoked/);

    const revocable = await generateKey({ userIDs: [{ name: 'x' }], format: 'object' });
    const revoked = await revokeKey({ key: revocable.privateKey, format: 'armored' });
    expect((await refusal(read(revoked.publicKey))).message).toMatch(/expired, revoked/);

    const signOnly = await generateKey({ userIDs: [{ name: 'x' }], subkeys: [], format: 'armored' });
    expect((await refusal(read(signOnly.publicKey))).message).toMatch(/no valid encryption subkey/);

    expect((await refusal(read('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ\n-----END PGP PUBLIC KEY BLOCK-----'))).path).toBe('body.reporter_public_key');
  });
});

describe('unlockPrivateKey', () => {
  const paths = { key: 'body.privateKey', passphrase: 'body.passphrase' };

  it('unlocks with the passphrase, checks the pair, and refuses with field paths', async () => {
    const locked = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Team' }], passphrase: 'correct horse battery', format: 'object' });
    const expectedFingerprint = locked.publicKey.getFingerprint().toUpperCase();
    const armored = locked.privateKey.armor();
    const unlocked = await unlockPrivateKey(armored, { passphrase: 'correct horse battery', expectedFingerprint, now, paths });
    expect(unlocked.fingerprint).toBe(expectedFingerprint);
    const message = await encryptToPublicKey(locked.publicKey.armor(), 'works', now);
    expect(text(await decryptArmoredMessage(message, unlocked.armored, { maxBytes: 64 }))).toBe('works');

    expect(await refusal(unlockPrivateKey(armored, { passphrase: 'wrong', expectedFingerprint, now, paths }))).toMatchObject({ path: 'body.passphrase' });
    expect(await refusal(unlockPrivateKey(armored, { expectedFingerprint, now, paths }))).toMatchObject({ path: 'body.passphrase' });
    expect(await refusal(unlockPrivateKey(pair.privateKeyArmored, { expectedFingerprint, now, paths }))).toMatchObject({ path: 'body.privateKey' });
    expect(await refusal(unlockPrivateKey(pair.publicKeyArmored, { expectedFingerprint, now, paths }))).toMatchObject({ path: 'body.privateKey' });
  });
});

describe('reply addresses', () => {
  it('carry a 128-bit lower-case token that survives a case change', () => {
    const token = generateMailToken();
    expect(token).toMatch(/^[a-z2-7]{26}$/);
    expect(new Set(Array.from({ length: 100 }, generateMailToken)).size).toBe(100);
    const address = replyAddress('payqi', token, 'cvd.example.org');
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(parseIntakeAddress(address.toUpperCase(), 'cvd.example.org')).toEqual({ kind: 'reply', slug: 'payqi', token });
  });

  it('recognise project and default addresses and nothing else', () => {
    const parse = (address: string) => parseIntakeAddress(address, 'cvd.example.org');
    expect(parse('security+payqi@cvd.example.org')).toEqual({ kind: 'project', slug: 'payqi' });
    expect(parse('Security@CVD.example.org')).toEqual({ kind: 'default' });
    for (const other of ['security+payqi@elsewhere.org', 'admin@cvd.example.org', 'security+payqi.r.short@cvd.example.org', 'security+payqi.x.aaaaaaaaaaaaaaaaaaaaaaaaaa@cvd.example.org', 'security+-x@cvd.example.org', 'security+payqi@cvd.example.org.evil']) {
      expect(parse(other), other).toBeUndefined();
    }
  });
});
