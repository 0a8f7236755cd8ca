import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { EmbargoError, type ErrorDetail } from '../errors.ts';
import { MIN_SECRET_LENGTH, type ParsedConfig } from './schema.ts';

export const SECRETS_FILE_NAME = 'secrets.json';

type Secrets = { serverSecret: string; encryptionKey: string };
const secretNames = ['serverSecret', 'encryptionKey'] as const;

const secretsFileSchema = z
  .object({ version: z.literal(1), serverSecret: z.string().min(MIN_SECRET_LENGTH), encryptionKey: z.string().min(MIN_SECRET_LENGTH) })
  .strict();

const placeholderWords = /(change.?me|changeit|secret|password|example|placeholder|default|test|xxxx|1234|abcd)/i;

/**
 * Rejects secrets that are long enough but guessable: copied placeholders
 * ("change-me-change-me-…") and low-variety strings ("aaaa…", "abababab…").
 * A generated 32-byte base64url secret has ~40 distinct characters.
 */
export function weaknessOf(value: string): string | undefined {
  if (value.length < MIN_SECRET_LENGTH) return `must be at least ${MIN_SECRET_LENGTH} characters`;
  if (placeholderWords.test(value)) return 'looks like a placeholder; generate one with `openssl rand -base64 48`';
  if (new Set(value).size < 16) return 'has too little variety to be random; generate one with `openssl rand -base64 48`';
  return undefined;
}

function generateSecret(): string {
  return randomBytes(48).toString('base64url');
}

/**
 * In embedded mode the first start generates the secrets into the data
 * directory (mode 0600) and every later start reuses them, so a newcomer never
 * has to invent a key and a restart never loses access to encrypted data.
 */
async function readOrCreateSecretsFile(dataDir: string): Promise<Secrets> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SECRETS_FILE_NAME);
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot overwrite each other's keys.
    const handle = await open(path, 'wx', 0o600);
    const secrets: Secrets = { serverSecret: generateSecret(), encryptionKey: generateSecret() };
    await handle.writeFile(JSON.stringify({ version: 1, ...secrets }, null, 2) + '\n');
    await handle.sync();
    await handle.close();
    return secrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new EmbargoError(
      'invalid_config',
      `${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${path}\``,
    );
  }
  const parsed = secretsFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) throw new EmbargoError('invalid_config', `${path} is damaged; restore it from a backup`);
  return { serverSecret: parsed.data.serverSecret, encryptionKey: parsed.data.encryptionKey };
}

const envNames: Record<(typeof secretNames)[number], string> = {
  serverSecret: 'EMBARGO_SERVER_SECRET',
  encryptionKey: 'EMBARGO_ENCRYPTION_KEY',
};

/**
 * Production refuses missing or weak secrets outright. Development and test
 * fill any secret that was not configured from the generated secrets file.
 */
export async function resolveSecrets(config: ParsedConfig): Promise<Secrets> {
  const given = config.secrets;
  const details: ErrorDetail[] = [];
  for (const name of secretNames) {
    const value = given[name];
    if (value === undefined) {
      if (config.env === 'production') details.push({ path: `secrets.${name}`, message: `is required in production (set ${envNames[name]})` });
      continue;
    }
    const weakness =
      config.env === 'production' ? weaknessOf(value) : value.length < MIN_SECRET_LENGTH ? `must be at least ${MIN_SECRET_LENGTH} characters` : undefined;
    if (weakness) details.push({ path: `secrets.${name}`, message: weakness });
  }
  if (details.length > 0) throw new EmbargoError('invalid_config', 'secrets are missing or weak', details);
  if (given.serverSecret !== undefined && given.encryptionKey !== undefined) {
    return { serverSecret: given.serverSecret, encryptionKey: given.encryptionKey };
  }
  const generated = await readOrCreateSecretsFile(config.dataDir);
  return { serverSecret: given.serverSecret ?? generated.serverSecret, encryptionKey: given.encryptionKey ?? generated.encryptionKey };
}
