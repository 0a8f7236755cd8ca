import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { EmbargoError } from '../errors.ts';
import type { ExportFormat } from '../services/advisories/transfer.service.ts';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';
import { withServices } from './services.ts';

// Implementations load when their command runs, not when the CLI starts: `--help` needs none of them.
const transfer = () => import('../services/advisories/transfer.service.ts');

const formats: readonly ExportFormat[] = ['osv', 'csaf', 'cve5'];

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new EmbargoError('not_found', `cannot read ${file}: ${error.code ?? error.message}`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EmbargoError('validation_failed', `${file} is not JSON`, [{ path: file, message: 'is not valid JSON' }]);
  }
}

export function registerAdvisoryCommands(program: Command, run: Run, output: Output): void {
  const advisory = program.command('advisory').description('Import and export advisories (directly on the configured database)');

  advisory
    .command('import')
    .description('Import OSV or CSAF 2.0 files into a project: published with their original dates, or as drafts')
    .argument('<files...>', 'OSV or CSAF JSON files')
    .requiredOption('--project <slug>', 'project to import into')
    .option('--draft', 'import as unpublished drafts')
    .option('--json', 'print the result as JSON')
    .action((files: string[], opts: { project: string; draft?: boolean; json?: boolean }) =>
      run(opts, async () => {
        const { importAdvisory } = await transfer();
        const documents = await Promise.all(files.map(async (file) => ({ file, json: await readJson(file) })));
        // One database session for all files; each file is its own transaction, so a bad file stops the run after the good ones before it.
        const imported = await withServices(async (ctx) => {
          const done: Array<{ file: string; id: string; state: string }> = [];
          for (const { file, json } of documents) done.push({ file, ...(await importAdvisory(ctx, opts.project, json, { draft: opts.draft === true, source: basename(file) })) });
          return done;
        });
        if (opts.json) printJson(output, { imported });
        else for (const entry of imported) output.out.write(`imported ${entry.file} as ${entry.id} (${entry.state})\n`);
        return 0;
      }),
    );

  advisory
    .command('export')
    .description('Print an advisory as OSV, CSAF 2.0 or CVE JSON 5')
    .argument('<id>', 'advisory id, e.g. PAYQI-2026-0001')
    .requiredOption('--format <format>', 'osv, csaf or cve5')
    .option('--assigner-org-id <uuid>', 'cve5: the CNA\'s organisation UUID')
    .option('--assigner-short-name <name>', 'cve5: the CNA\'s short name')
    .action((id: string, opts: { format: string; assignerOrgId?: string; assignerShortName?: string }) =>
      run({}, async () => {
        if (!formats.includes(opts.format as ExportFormat)) throw new EmbargoError('validation_failed', 'unknown format', [{ path: '--format', message: 'must be osv, csaf or cve5' }]);
        const { exportAdvisory } = await transfer();
        const assigner = opts.assignerOrgId && opts.assignerShortName ? { assignerOrgId: opts.assignerOrgId, assignerShortName: opts.assignerShortName } : undefined;
        printJson(output, await withServices((ctx) => exportAdvisory(ctx, id, opts.format as ExportFormat, assigner)));
        return 0;
      }),
    );
}
