import type { Command } from 'commander';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';

// Implementations load when their command runs, not when the CLI starts: `--help` needs none of them.
const backups = () => import('../services/backup/backup.service.ts');

export function registerBackupCommands(program: Command, run: Run, output: Output): void {
  program
    .command('backup')
    .description(
      'Write an encrypted, authenticated copy of the database (and <dataDir>/secrets.json when the keys were generated there) to FILE, under EMBARGO_BACKUP_KEY. ' +
        'With the embedded database, stop the server first; on PostgreSQL it runs beside the servers (pg_dump must be installed, at least as new as the server).',
    )
    .argument('<file>', 'the backup file to create (never overwritten; mode 0600)')
    .option('--json', 'print the summary as JSON')
    .action((file: string, opts: { json?: boolean }) =>
      run(opts, async () => {
        const [{ createBackup }, { readConfig }] = await Promise.all([backups(), import('../config/index.ts')]);
        const summary = await createBackup(await readConfig(), file);
        if (opts.json) printJson(output, summary);
        else {
          output.out.write(`backup of the ${summary.engine === 'pglite' ? 'embedded database' : 'PostgreSQL database'} written to ${summary.file} (${summary.bytes} bytes, schema of ${summary.migrations} migrations, backup key ${summary.backupKeyId})\n`);
          output.out.write(summary.carriesSecretsFile ? 'it carries the secrets file: keep it as safe as the instance itself\n' : 'it does not carry the server secret or encryption keys (they come from the configuration): back them up separately\n');
        }
        return 0;
      }),
    );

  program
    .command('restore')
    .description(
      'Restore a backup made by `embargo backup` into the configured database and data directory, after checking it (authentication, content hashes, schema not newer than this version, matching keys). ' +
        'Refuses a target that already holds data unless --force. Stop every server first.',
    )
    .argument('<file>', 'the backup file')
    .option('--force', 'replace a database that already holds data (the embedded one is kept aside as pglite.before-restore-<time>)')
    .option('--json', 'print the summary as JSON')
    .action((file: string, opts: { force?: boolean; json?: boolean }) =>
      run(opts, async () => {
        // Not readConfig: that would generate fresh secrets into the target before the backup's could be restored.
        const [{ restoreBackup }, { loadConfig }] = await Promise.all([backups(), import('../config/load.ts')]);
        const summary = await restoreBackup(await loadConfig(), file, { force: opts.force === true });
        if (opts.json) printJson(output, summary);
        else {
          output.out.write(`restored the backup made at ${summary.backupCreatedAt} (schema of ${summary.migrations} migrations${summary.restoredSecretsFile ? ', with its secrets file' : ''})\n`);
          for (const path of summary.keptAside) output.out.write(`kept the replaced copy at ${path}\n`);
          if (summary.keysMissingFromKeyring.length > 0) output.err.write(`warning: older encryption keys ${summary.keysMissingFromKeyring.join(', ')} are not configured; values still sealed under them cannot be opened (see \`embargo keys status\`)\n`);
          output.out.write('start the server (it applies any newer migrations), then run `embargo audit verify`\n');
        }
        return 0;
      }),
    );
}
