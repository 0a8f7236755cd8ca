import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EmbargoError } from '../errors.ts';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';
import { withServices } from './services.ts';

// Implementations load when their command runs, not when the CLI starts: `--help` needs none of them.
const projects = () => import('../services/project.service.ts');

export function registerProjectCommands(program: Command, run: Run, output: Output): void {
  const project = program.command('project').description('Manage projects (directly on the configured database)');

  project
    .command('create')
    .description('Create a project from a policy file')
    .requiredOption('--policy <file>', 'policy YAML file')
    .option('--json', 'print the project as JSON')
    .action((opts: { policy: string; json?: boolean }) =>
      run(opts, async () => {
        const policyYaml = await readFile(opts.policy, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new EmbargoError('not_found', `cannot read policy file ${opts.policy}: ${error.code ?? error.message}`);
        });
        const { createProject } = await projects();
        const created = await withServices((ctx) => createProject(ctx, { policyYaml, author: { operator: true } }));
        if (opts.json) printJson(output, { slug: created.slug, name: created.name, policyRevision: created.policyRevision });
        else output.out.write(`created project ${created.slug} (${created.name})\n`);
        return 0;
      }),
    );

  project
    .command('export')
    .description('Print the current policy file of a project')
    .argument('<slug>', 'project slug')
    .option('--json', 'print the policy as JSON instead of YAML')
    .action((slug: string, opts: { json?: boolean }) =>
      run(opts, async () => {
        const { getProject } = await projects();
        const found = await withServices((ctx) => getProject(ctx, slug));
        if (opts.json) printJson(output, found.policy);
        else output.out.write(found.policyYaml.endsWith('\n') ? found.policyYaml : `${found.policyYaml}\n`);
        return 0;
      }),
    );
}
