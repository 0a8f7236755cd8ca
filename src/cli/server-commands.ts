import type { Command } from 'commander';
import { readConfig } from '../config/index.ts';
import { startServer } from '../server.ts';
import { openConfiguredDatabase } from '../storage/open-for-config.ts';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';

export function registerServerCommands(program: Command, run: Run, output: Output): void {
  program
    .command('serve')
    .description('Start the server (migrates the database first)')
    .action(() =>
      run({}, async () => {
        const server = await startServer(await readConfig(), output.err);
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            server.close().then(resolve, resolve);
          };
          process.on('SIGTERM', stop);
          process.on('SIGINT', stop);
        });
        return 0;
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
