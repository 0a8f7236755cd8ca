import { EmbargoError } from '../errors.ts';
import { loadConfig } from './load.ts';
import type { Config, ParsedConfig } from './schema.ts';
import { resolveSecrets } from './secrets.ts';

export type { Config } from './schema.ts';

/** Checks rules that span several settings. */
function checkCrossFieldRules(config: ParsedConfig): void {
  if (config.env !== 'production') return;
  if (!config.publicUrl?.startsWith('https://')) {
    throw new EmbargoError('invalid_config', 'configuration is invalid', [
      { path: 'publicUrl', message: 'must be set to an https:// URL in production (set EMBARGO_PUBLIC_URL)' },
    ]);
  }
}

/** Completes a parsed configuration: cross-field checks, secrets, defaults that depend on other settings. */
export async function finaliseConfig(parsed: ParsedConfig): Promise<Config> {
  checkCrossFieldRules(parsed);
  const secrets = await resolveSecrets(parsed);
  const publicUrl = (parsed.publicUrl ?? `http://localhost:${parsed.port}`).replace(/\/+$/, '');
  return { ...parsed, publicUrl, secrets: { ...secrets, backupKey: parsed.secrets.backupKey } };
}

/** Loads, validates and completes the configuration from the file and environment. */
export async function readConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  return finaliseConfig(await loadConfig(env));
}
