import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { EmbargoError, detailsFromZodIssues } from '../errors.ts';
import { configSchema, type ConfigInput, type ParsedConfig } from './schema.ts';

/**
 * Environment variables and the config-file key they override. Environment wins
 * over the file so an operator can change one value without editing the file.
 */
const envMapping: ReadonlyArray<[string, ReadonlyArray<string>]> = [
  ['EMBARGO_ENV', ['env']],
  ['EMBARGO_HOST', ['host']],
  ['EMBARGO_PORT', ['port']],
  ['EMBARGO_PUBLIC_URL', ['publicUrl']],
  ['EMBARGO_DATA_DIR', ['dataDir']],
  ['EMBARGO_MIN_FREE_DISK_MB', ['minFreeDiskMb']],
  ['EMBARGO_LOG_LEVEL', ['logLevel']],
  ['DATABASE_URL', ['database', 'url']],
  ['DATABASE_SSL', ['database', 'ssl']],
  ['DATABASE_SSL_CA_FILE', ['database', 'sslCaFile']],
  ['DATABASE_POOL_SIZE', ['database', 'poolSize']],
  ['EMBARGO_SERVER_SECRET', ['secrets', 'serverSecret']],
  ['EMBARGO_ENCRYPTION_KEY', ['secrets', 'encryptionKey']],
  ['EMBARGO_PREVIOUS_ENCRYPTION_KEYS', ['secrets', 'previousEncryptionKeys']],
  ['EMBARGO_BACKUP_KEY', ['secrets', 'backupKey']],
  ['EMBARGO_SETUP_TOKEN_TTL_MINUTES', ['setupTokenTtlMinutes']],
  ['EMBARGO_SHUTDOWN_TIMEOUT_SECONDS', ['shutdownTimeoutSeconds']],
  ['EMBARGO_METRICS_TOKEN', ['metrics', 'token']],
  ['EMBARGO_PASSWORD_MIN_LENGTH', ['auth', 'passwordMinLength']],
  ['EMBARGO_ARGON2_MEMORY_KIB', ['auth', 'argon2MemoryKib']],
  ['EMBARGO_ARGON2_ITERATIONS', ['auth', 'argon2Iterations']],
  ['EMBARGO_ARGON2_PARALLELISM', ['auth', 'argon2Parallelism']],
  ['EMBARGO_LOCKOUT_THRESHOLD', ['auth', 'lockoutThreshold']],
  ['EMBARGO_SESSION_IDLE_MINUTES', ['auth', 'sessionIdleMinutes']],
  ['EMBARGO_SESSION_ABSOLUTE_HOURS', ['auth', 'sessionAbsoluteHours']],
  ['EMBARGO_ACCESS_TOKEN_TTL_SECONDS', ['auth', 'accessTokenTtlSeconds']],
  ['EMBARGO_CORS_ORIGINS', ['http', 'corsOrigins']],
  ['EMBARGO_TRUST_PROXY', ['http', 'trustProxy']],
  ['EMBARGO_RATE_LIMIT_PER_MINUTE', ['http', 'rateLimitPerMinute']],
  ['EMBARGO_AUTH_RATE_LIMIT_PER_MINUTE', ['http', 'authRateLimitPerMinute']],
  ['EMBARGO_INTAKE_RATE_LIMIT_PER_MINUTE', ['http', 'intakeRateLimitPerMinute']],
  ['EMBARGO_INTAKE_PROJECT_RATE_LIMIT_PER_MINUTE', ['http', 'intakeProjectRateLimitPerMinute']],
  ['EMBARGO_PUBLIC_CACHE_MS', ['http', 'publicCacheMs']],
  ['EMBARGO_ATTACHMENT_MAX_FILE_BYTES', ['attachments', 'maxFileBytes']],
  ['EMBARGO_ATTACHMENT_MAX_REPORT_BYTES', ['attachments', 'maxReportBytes']],
  ['EMBARGO_ATTACHMENT_MAX_COUNT', ['attachments', 'maxCount']],
  ['EMBARGO_SMTP_URL', ['mail', 'smtpUrl']],
  ['EMBARGO_MAIL_FROM', ['mail', 'from']],
  ['EMBARGO_MAIL_INTAKE_LISTEN', ['mail', 'intakeListen']],
  ['EMBARGO_MAIL_INTAKE_DOMAIN', ['mail', 'intakeDomain']],
  ['EMBARGO_MAIL_INTAKE_MAX_BYTES', ['mail', 'intakeMaxBytes']],
  ['EMBARGO_WEBHOOK_MAX_CONSECUTIVE_FAILURES', ['webhooks', 'maxConsecutiveFailures']],
  ['EMBARGO_SECURITY_TXT_SIGNING_KEY_FILE', ['securityTxt', 'signingKeyFile']],
  ['EMBARGO_SECURITY_TXT_SIGNING_KEY_PASSPHRASE', ['securityTxt', 'signingKeyPassphrase']],
];

export const CONFIG_FILE_ENV = 'EMBARGO_CONFIG';

function setPath(target: Record<string, unknown>, path: ReadonlyArray<string>, value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EmbargoError('invalid_config', `cannot read config file ${path}`, [], { cause: error });
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EmbargoError('invalid_config', `config file ${path} is not valid YAML or JSON: ${reason}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new EmbargoError('invalid_config', `config file ${path} must hold a mapping of settings`);
  }
  return data as Record<string, unknown>;
}

/**
 * Reads configuration from an optional file (EMBARGO_CONFIG, YAML or JSON) and
 * the environment, validates it, and throws `invalid_config` with field paths.
 * Secrets are resolved separately (see secrets.ts) because that may touch disk.
 */
export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<ParsedConfig> {
  const filePath = env[CONFIG_FILE_ENV];
  const merged: Record<string, unknown> = filePath ? await readConfigFile(filePath) : {};
  for (const [name, path] of envMapping) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(merged, path, value);
  }
  return parseConfig(merged as ConfigInput);
}

export function parseConfig(input: ConfigInput): ParsedConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new EmbargoError('invalid_config', 'configuration is invalid', detailsFromZodIssues(result.error.issues));
  }
  return result.data;
}

/** The environment variable that sets a config path, for error messages. */
export function envNameFor(path: string): string | undefined {
  return envMapping.find(([, keys]) => keys.join('.') === path)?.[0];
}
