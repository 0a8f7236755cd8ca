import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { auditJsonLine, escapeForLine, renderAuditLine } from '../domain/audit/render.ts';
import { EmbargoError } from '../errors.ts';
import type { Db } from '../storage/database.ts';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';

// Implementations load when their command runs, not when the CLI starts: `--help` needs none of them.
const audits = () => import('../services/audit.service.ts');

/** The audit commands need only the database and the server secret (the checkpoint key derives from it). */
async function withAuditDatabase<T>(body: (db: Db, serverSecret: string) => Promise<T>): Promise<T> {
  const [{ readConfig }, { openConfiguredDatabase }] = await Promise.all([import('../config/index.ts'), import('../storage/open-for-config.ts')]);
  const config = await readConfig();
  const database = await openConfiguredDatabase(config);
  try {
    return await body(database.db, config.secrets.serverSecret);
  } finally {
    await database.close();
  }
}

/** ISO 8601 only: `new Date()` alone would also take "1" (as the year 2001) or "yesterday" (as an error much later). */
function parseIsoDate(value: string, option: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new EmbargoError('validation_failed', `${option} is not a date`, [
      { path: option, message: 'must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z' },
    ]);
  }
  return date;
}

async function* jsonLines(db: Db, range: { since: Date; until?: Date | undefined }, counter: { lines: number }): AsyncGenerator<string> {
  const { exportAudit } = await audits();
  for await (const record of exportAudit(db, range)) {
    counter.lines += 1;
    yield auditJsonLine(record);
  }
}

export function registerAuditCommands(program: Command, run: Run, output: Output): void {
  const audit = program.command('audit').description('Verify, checkpoint and export the audit log (directly on the configured database)');

  audit
    .command('verify')
    .description('Check the whole hash chain and every signed checkpoint; exit 1 at the first break')
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }) =>
      run(opts, async () => {
        const { verifyAudit } = await audits();
        const result = await withAuditDatabase((db, serverSecret) => verifyAudit(db, { serverSecret }));
        if (opts.json) printJson(output, result);
        else if (result.ok) output.out.write(`audit log intact: ${result.entries} entries checked, ${result.checkpointsVerified} checkpoints verified, last seq ${result.lastSeq}\n`);
        else {
          output.out.write(`audit log broken at seq ${result.firstBrokenSeq} (${result.reason}): ${escapeForLine(result.message)}\n`);
          if (result.record) output.out.write(`  ${renderAuditLine(result.record)}\n`);
        }
        return result.ok ? 0 : 1;
      }),
    );

  audit
    .command('checkpoint')
    .description('Sign the current head of the log (the server does this periodically); keep the output somewhere outside this instance')
    .option('--json', 'print the checkpoint as JSON')
    .action((opts: { json?: boolean }) =>
      run(opts, async () => {
        const { checkpointAudit } = await audits();
        const checkpoint = await withAuditDatabase((db, serverSecret) => checkpointAudit(db, { serverSecret, now: new Date() }));
        if (opts.json) printJson(output, checkpoint ?? null);
        else if (checkpoint) output.out.write(`checkpoint at seq ${checkpoint.seq}: hash ${checkpoint.hash}, key ${checkpoint.keyId}, signature ${checkpoint.signature}\n`);
        else output.out.write('nothing new to checkpoint\n');
        return 0;
      }),
    );

  audit
    .command('export')
    .description('Write entries as JSON lines, with seq, prev_hash and hash so they can be re-verified elsewhere')
    .requiredOption('--since <date>', 'first instant to include (ISO 8601)')
    .option('--until <date>', 'instant to stop before (ISO 8601)')
    .option('-o, --output <file>', 'write to this file (created with mode 0600) instead of standard output')
    .action((opts: { since: string; until?: string; output?: string }) =>
      run({}, async () => {
        const range = { since: parseIsoDate(opts.since, '--since'), until: opts.until === undefined ? undefined : parseIsoDate(opts.until, '--until') };
        const counter = { lines: 0 };
        const { appendAudit } = await audits();
        await withAuditDatabase(async (db) => {
          const lines = Readable.from(jsonLines(db, range, counter));
          if (opts.output === undefined) await pipeline(lines, output.out, { end: false });
          else await pipeline(lines, createWriteStream(opts.output, { mode: 0o600 }));
          // Exports leave the system, so they are themselves on the record.
          await appendAudit(db, { actor: { type: 'system', label: 'cli' }, action: 'audit.exported', outcome: 'success', details: { since: range.since.toISOString(), until: range.until?.toISOString() ?? null, entries: counter.lines }, at: new Date() });
        });
        if (opts.output !== undefined) output.out.write(`exported ${counter.lines} entries to ${opts.output}\n`);
        return 0;
      }),
    );
}
