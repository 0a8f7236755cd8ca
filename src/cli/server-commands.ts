import type { Command } from 'commander';
import { readConfig } from '../config/index.ts';
import { startServer } from '../server.ts';
import { openConfiguredDatabase } from '../storage/open-for-config.ts';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';

export function registerServerCommands(program: Command, run: Run, output: Output): void {
  program
    .command('serve')
    .description('Start the server (migrates the database first); SIGTERM or SIGINT stops it gracefully')
    .action(() =>
      run({}, async () => {
        const config = await readConfig();
        const server = await startServer(config, output.err);
        return new Promise<number>((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            // A second signal means "now": the operator gave up waiting.
            process.once('SIGTERM', () => process.exit(1));
            process.once('SIGINT', () => process.exit(1));
            server.app.log.info({ signal, timeoutSeconds: config.shutdownTimeoutSeconds }, 'shutting down');
            // Shutdown bounds every step; should one still hang, or a stray handle keep the process alive, leave anyway.
            let code: number | undefined;
            const watchdog = setTimeout(() => {
              if (code === undefined) server.app.log.error('shutdown did not finish in time; exiting');
              process.exit(code ?? 1);
            }, (config.shutdownTimeoutSeconds + 5) * 1000);
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
        const database = await openConfiguredDatabase(await readConfig());
        await database.close();
        if (opts.json) printJson(output, { applied: database.migrationsApplied });
        else output.out.write(database.migrationsApplied.length ? `applied: ${database.migrationsApplied.join(', ')}\n` : 'database is up to date\n');
        return 0;
      }),
    );
}
