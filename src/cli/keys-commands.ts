import type { Command } from 'commander';
import type { Config } from '../config/index.ts';
import { EmbargoError } from '../errors.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ReencryptionResult } from '../services/keys.service.ts';
import type { OpenDatabase } from '../storage/database.ts';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';

const EMBEDDED_LOCK = 'With the embedded database, stop the server first: only one process can open it (these commands refuse while it runs).';

const CONFIGURED_KEYS =
  'the encryption keys come from the configuration (EMBARGO_ENCRYPTION_KEY), so this command cannot change them. To rotate: ' +
  'generate a key (`openssl rand -base64 48`), set it as EMBARGO_ENCRYPTION_KEY, move the current key to EMBARGO_PREVIOUS_ENCRYPTION_KEYS ' +
  '(comma-separated, newest first), restart every server, then run `embargo keys reencrypt`. Drop the previous key only once `embargo keys status` shows it protects nothing.';

// Implementations load when their command runs, not when the CLI starts: `--help` needs none of them.
const keyService = () => import('../services/keys.service.ts');
const configuration = () => import('../config/index.ts');
const serviceContext = async (config: Config, database: OpenDatabase) => (await import('../services/context.ts')).createServiceContext(config, database.db);

async function withDatabase<T>(config: Config, body: (database: OpenDatabase) => Promise<T>): Promise<T> {
  const { openConfiguredDatabase } = await import('../storage/open-for-config.ts');
  const database = await openConfiguredDatabase(config);
  try {
    return await body(database);
  } finally {
    await database.close();
  }
}

/** Ctrl-C or SIGTERM stops a re-encryption after its current batch, so it ends cleanly (and the database closes). */
async function interruptible<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function reencrypt(ctx: ServiceContext, dryRun: boolean): Promise<ReencryptionResult> {
  const { reencryptAll } = await keyService();
  return interruptible((signal) => reencryptAll(ctx, { dryRun, signal }));
}

const sum = (result: ReencryptionResult, name: 'current' | 'reencrypted' | 'changed' | 'unreadable') => result.columns.reduce((total, c) => total + c[name], 0);

function printReencryption(output: Output, result: ReencryptionResult): void {
  const verb = result.dryRun ? 'to re-encrypt' : 're-encrypted';
  output.out.write(`active key ${result.activeKeyId}: ${sum(result, 'reencrypted')} values ${verb}, ${sum(result, 'current')} already current, ${sum(result, 'changed')} changed meanwhile, ${sum(result, 'unreadable')} unreadable\n`);
  // Only the columns with something to say; the JSON output has them all.
  for (const c of result.columns.filter((column) => column.reencrypted + column.changed + column.unreadable > 0)) output.out.write(`  ${c.table}.${c.column}: ${c.reencrypted} ${verb}, ${c.current} current${c.changed ? `, ${c.changed} changed meanwhile` : ''}${c.unreadable ? `, ${c.unreadable} unreadable` : ''}\n`);
}

/** Exit 1, with the reason on stderr, unless every value is now under the active key (or could be, in a dry run). */
function exitCodeOf(output: Output, result: ReencryptionResult): number {
  const unreadable = sum(result, 'unreadable');
  if (!result.complete) output.err.write('stopped before the end: run `embargo keys reencrypt` again to finish (finished batches are kept)\n');
  if (unreadable > 0) output.err.write(`${unreadable} values cannot be opened with the configured keys (a key missing from the keyring, or tampered values); see \`embargo keys status\`\n`);
  return result.complete && unreadable === 0 ? 0 : 1;
}

export function registerKeysCommands(program: Command, run: Run, output: Output): void {
  const keys = program.command('keys').description(`Rotate the data-at-rest encryption key and re-encrypt stored values (directly on the configured database). ${EMBEDDED_LOCK}`);

  keys
    .command('rotate')
    .description('With generated keys (<dataDir>/secrets.json): add a new active key, keeping the old ones, then re-encrypt everything under it. Stop the server first (one started before the rotation does not know the new key); back up secrets.json afterwards.')
    .option('--json', 'print the new key id and the counts as JSON')
    .action((opts: { json?: boolean }) =>
      run(opts, async () => {
        const [{ loadConfig }, { finaliseConfig }, { resolveSecrets }, { addEncryptionKey }, { encryptionKeyId, recordKeyRotation }] = await Promise.all([
          import('../config/load.ts'),
          configuration(),
          import('../config/secrets.ts'),
          import('../config/secrets-file.ts'),
          keyService(),
        ]);
        const parsed = await loadConfig();
        if (parsed.secrets.encryptionKey !== undefined) throw new EmbargoError('conflict', CONFIGURED_KEYS);
        const config = await finaliseConfig(parsed);
        // The database (and its data-directory lock) is opened before the key is added, so a running embedded server stops the rotation before it changes anything.
        return withDatabase(config, async (database) => {
          const rotation = await addEncryptionKey(config.dataDir, { now: new Date(), keyIdOf: encryptionKeyId });
          const ctx = await serviceContext({ ...config, secrets: await resolveSecrets(parsed) }, database);
          await recordKeyRotation(ctx, rotation);
          const result = await reencrypt(ctx, false);
          if (opts.json) printJson(output, { rotation, reencryption: result });
          else {
            output.out.write(`new active key ${rotation.activeKeyId} (older keys kept for decryption: ${rotation.previousKeyIds.join(', ')})\n`);
            printReencryption(output, result);
          }
          return exitCodeOf(output, result);
        });
      }),
    );

  keys
    .command('reencrypt')
    .description('Rewrite every value not under the active key, in batches; safe to interrupt and run again. On PostgreSQL it may run beside the servers once every one of them has the new key.')
    .option('--dry-run', 'only count the values to rewrite')
    .option('--json', 'print the counts as JSON')
    .action((opts: { dryRun?: boolean; json?: boolean }) =>
      run(opts, async () => {
        const config = await (await configuration()).readConfig();
        const result = await withDatabase(config, async (database) => reencrypt(await serviceContext(config, database), opts.dryRun === true));
        if (opts.json) printJson(output, result);
        else printReencryption(output, result);
        return exitCodeOf(output, result);
      }),
    );

  keys
    .command('status')
    .description('List the key ids (never the keys) and how many stored values each protects')
    .option('--json', 'print the status as JSON')
    .action((opts: { json?: boolean }) =>
      run(opts, async () => {
        const config = await (await configuration()).readConfig();
        const { keyStatus } = await keyService();
        const status = await withDatabase(config, async (database) => keyStatus(await serviceContext(config, database)));
        if (opts.json) printJson(output, status);
        else {
          for (const key of status.keys) {
            const label = key.active ? 'active' : key.inKeyring ? 'previous' : 'NOT IN KEYRING';
            output.out.write(`${key.id}  ${label}  ${key.values} values\n`);
          }
          if (status.malformed > 0) output.out.write(`${status.malformed} values are not valid envelopes\n`);
        }
        return 0;
      }),
    );
}
