import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { EmbargoError } from '../errors.ts';
import { MIN_SECRET_LENGTH } from './schema.ts';

/**
 * The generated secrets of an embedded instance, `<dataDir>/secrets.json`, mode 0600.
 *
 * - version 1 (written at the first start): `{ serverSecret, encryptionKey }`.
 * - version 2 (written by `embargo keys rotate`): `{ serverSecret, encryptionKeys: [{ id, createdAt, key }] }`,
 *   newest (active) first; the older keys only open values not yet re-encrypted.
 *
 * A key's `id` is its keyring fingerprint, written for people matching `embargo keys status` to
 * this file. It is never read back: the keyring derives it from the key again, so an edited id
 * cannot make data unreadable, and a key keeps its id when moved to EMBARGO_ENCRYPTION_KEY.
 */
export const SECRETS_FILE_NAME = 'secrets.json';

export interface SecretsFileContent {
  serverSecret: string;
  /** Newest first; never empty. */
  encryptionKeys: Array<{ key: string; createdAt: Date }>;
}

const secretText = z.string().min(MIN_SECRET_LENGTH);
const secretsFileSchema = z.discriminatedUnion('version', [
  z.object({ version: z.literal(1), serverSecret: secretText, encryptionKey: secretText }).strict(),
  z
    .object({
      version: z.literal(2),
      serverSecret: secretText,
      encryptionKeys: z.array(z.object({ id: z.string().min(1), createdAt: z.iso.datetime(), key: secretText }).strict()).min(1),
    })
    .strict()
    .refine((file) => new Set(file.encryptionKeys.map((k) => k.key)).size === file.encryptionKeys.length, 'a key appears twice'),
]);

export function generateSecret(): string {
  return randomBytes(48).toString('base64url');
}

async function readSecretsFile(path: string): Promise<SecretsFileContent> {
  const { mode, mtime } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new EmbargoError('invalid_config', `${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${path}\``);
  }
  let parsed: z.infer<typeof secretsFileSchema>;
  try {
    parsed = secretsFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    // No cause: a parse error could quote part of the file, i.e. a key.
    throw new EmbargoError('invalid_config', `${path} is damaged; restore it from a backup`);
  }
  if (parsed.version === 1) {
    // A version 1 file is written once and never changed, so its mtime is when its key was made.
    return { serverSecret: parsed.serverSecret, encryptionKeys: [{ key: parsed.encryptionKey, createdAt: mtime }] };
  }
  return { serverSecret: parsed.serverSecret, encryptionKeys: parsed.encryptionKeys.map((k) => ({ key: k.key, createdAt: new Date(k.createdAt) })) };
}

/**
 * In embedded mode the first start generates the secrets into the data
 * directory (mode 0600) and every later start reuses them, so a newcomer never
 * has to invent a key and a restart never loses access to encrypted data.
 */
export async function readOrCreateSecretsFile(dataDir: string): Promise<SecretsFileContent> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SECRETS_FILE_NAME);
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot overwrite each other's keys.
    const handle = await open(path, 'wx', 0o600);
    const secrets = { serverSecret: generateSecret(), encryptionKey: generateSecret() };
    await writeAndClose(handle, { version: 1, ...secrets });
    return { serverSecret: secrets.serverSecret, encryptionKeys: [{ key: secrets.encryptionKey, createdAt: new Date() }] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readSecretsFile(path);
}

/**
 * Adds a newly generated active key in front of the existing ones (which are all kept) and
 * returns the key ids. The file is replaced atomically (a 0600 temporary file, fsync, rename,
 * fsync of the directory), so a crash leaves either the old file or the new one, and the new key
 * is on disk before anything can be sealed under it. The temporary file has a fixed name and is
 * created exclusively: it doubles as a lock, so two rotations cannot each add a key and lose the
 * other's.
 */
export async function addEncryptionKey(dataDir: string, options: { now: Date; keyIdOf: (key: string) => string }): Promise<{ activeKeyId: string; previousKeyIds: string[] }> {
  const path = join(dataDir, SECRETS_FILE_NAME);
  const temporary = `${path}.rotating`;
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new EmbargoError(
      'conflict',
      `${temporary} exists: another key rotation is running, or one stopped before it took effect. If none is running, delete that file (no data uses its key) and try again.`,
    );
  }
  try {
    const current = await readSecretsFile(path);
    const keys = [{ key: generateSecret(), createdAt: options.now }, ...current.encryptionKeys];
    const encryptionKeys = keys.map((k) => ({ id: options.keyIdOf(k.key), createdAt: k.createdAt.toISOString(), key: k.key }));
    await writeAndClose(handle, { version: 2, serverSecret: current.serverSecret, encryptionKeys });
    await rename(temporary, path);
    await syncDirectory(dataDir);
    const [active, ...previous] = encryptionKeys.map((k) => k.id);
    return { activeKeyId: active!, previousKeyIds: previous };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

async function writeAndClose(handle: FileHandle, content: object): Promise<void> {
  await handle.writeFile(JSON.stringify(content, null, 2) + '\n');
  await handle.sync();
  await handle.close();
}

/** Makes a rename durable: without it a power loss could bring the old file back after data was sealed under the new key. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
