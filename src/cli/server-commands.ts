import type { Command } from 'commander';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';

// Implementations load when their command runs, not when the CLI starts: `--help` needs none of them.
const config = () => import('../config/index.ts');

export function registerServerCommands(program: Command, run: Run, output: Output): void {
  program
    .command('serve')
    .description('Start the server (migrates the database first); SIGTERM or SIGINT stops it gracefully')
    .action(() =>
      run({}, async () => {
        const [{ readConfig }, { startServer }] = await Promise.all([config(), import('../server.ts')]);
        const settings = await readConfig();
        const server = await startServer(settings, output.err);
        return new Promise<number>((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            // A second signal means "now": the operator gave up waiting.
            process.once('SIGTERM', () => process.exit(1));
            process.once('SIGINT', () => process.exit(1));
            server.app.log.info({ signal, timeoutSeconds: settings.shutdownTimeoutSeconds }, 'shutting down');
            // Shutdown bounds every step; should one still hang, or a stray handle keep the process alive, leave anyway.
            let code: number | undefined;
            const watchdog = setTimeout(() => {
              if (code === undefined) server.app.log.error('shutdown did not finish in time; exiting');
              process.exit(code ?? 1);
            }, (settings.shutdownTimeoutSeconds + 5) * 1000);
            watchdog.unref();
            server.close().then(
              () => resolve((code = 0)),
              (error: unknown) => {
                server.app.log.error({ err: error }, 'shutdown failed');
                resolve((code = 1));
              },
            );
          };
          process.on('SIGTERM', stop);
          process.on('SIGINT', stop);
        });
      }),
    );

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .option('--json', 'print the applied migrations as JSON')
    .action((opts: { json?: boolean }) =>
      run(opts, async () => {
        const [{ readConfig }, { openConfiguredDatabase }] = await Promise.all([config(), import('../storage/open-for-config.ts')]);
        const database = await openConfiguredDatabase(await readConfig());
        await database.close();
        if (opts.json) printJson(output, { applied: database.migrationsApplied });
        else output.out.write(database.migrationsApplied.length ? `applied: ${database.migrationsApplied.join(', ')}\n` : 'database is up to date\n');
        return 0;
      }),
    );
}
