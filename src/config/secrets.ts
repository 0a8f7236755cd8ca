import { EmbargoError, type ErrorDetail } from '../errors.ts';
import { MIN_SECRET_LENGTH, type Config, type ParsedConfig } from './schema.ts';
import { readOrCreateSecretsFile } from './secrets-file.ts';

type Secrets = Config['secrets'];
const secretNames = ['serverSecret', 'encryptionKey'] as const;

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

function problemWith(env: ParsedConfig['env'], value: string): string | undefined {
  if (env === 'production') return weaknessOf(value);
  return value.length < MIN_SECRET_LENGTH ? `must be at least ${MIN_SECRET_LENGTH} characters` : undefined;
}

const envNames: Record<(typeof secretNames)[number], string> = {
  serverSecret: 'EMBARGO_SERVER_SECRET',
  encryptionKey: 'EMBARGO_ENCRYPTION_KEY',
};

/** Older data-at-rest keys get the same checks as the active one: a weak old key still opens old data. */
function previousKeyProblems(config: ParsedConfig): ErrorDetail[] {
  const { encryptionKey, previousEncryptionKeys } = config.secrets;
  if (previousEncryptionKeys.length === 0) return [];
  if (encryptionKey === undefined) {
    return [{ path: 'secrets.previousEncryptionKeys', message: 'needs the active key next to it (set EMBARGO_ENCRYPTION_KEY); the generated secrets file keeps its own older keys' }];
  }
  const details: ErrorDetail[] = [];
  for (const [index, value] of previousEncryptionKeys.entries()) {
    const repeated = value === encryptionKey || previousEncryptionKeys.indexOf(value) !== index;
    const problem = problemWith(config.env, value) ?? (repeated ? 'repeats another encryption key' : undefined);
    if (problem) details.push({ path: `secrets.previousEncryptionKeys[${index}]`, message: problem });
  }
  return details;
}

/**
 * Production refuses missing or weak secrets outright. Development and test
 * fill any secret that was not configured from the generated secrets file
 * (whose data-at-rest keys come as a list after a rotation, newest first).
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
    const problem = problemWith(config.env, value);
    if (problem) details.push({ path: `secrets.${name}`, message: problem });
  }
  details.push(...previousKeyProblems(config));
  if (details.length > 0) throw new EmbargoError('invalid_config', 'secrets are missing or weak', details);
  if (given.serverSecret !== undefined && given.encryptionKey !== undefined) {
    return { serverSecret: given.serverSecret, encryptionKey: given.encryptionKey, previousEncryptionKeys: given.previousEncryptionKeys };
  }
  const generated = await readOrCreateSecretsFile(config.dataDir);
  const serverSecret = given.serverSecret ?? generated.serverSecret;
  if (given.encryptionKey !== undefined) return { serverSecret, encryptionKey: given.encryptionKey, previousEncryptionKeys: given.previousEncryptionKeys };
  const [active, ...older] = generated.encryptionKeys.map((k) => k.key);
  return { serverSecret, encryptionKey: active!, previousEncryptionKeys: older };
}
