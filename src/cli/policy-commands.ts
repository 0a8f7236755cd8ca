import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EmbargoError } from '../errors.ts';
import { printJson, type Output } from './output.ts';
import type { Run } from './run.ts';

// Implementations load when their command runs, not when the CLI starts: `--help` needs none of them.
const policies = () => import('../domain/policy/parse.ts');

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new EmbargoError('not_found', `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

export function registerPolicyCommands(program: Command, run: Run, output: Output): void {
  const policy = program.command('policy').description('Check and render policy files');

  policy
    .command('lint')
    .description('Validate a policy file; exits 1 and names each bad field')
    .argument('<file>', 'policy YAML file')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { json?: boolean }) =>
      run(opts, async () => {
        const { lintPolicyYaml } = await policies();
        const result = lintPolicyYaml(await readText(file, 'policy file'));
        if (result.ok) {
          if (opts.json) printJson(output, { ok: true, slug: result.policy.project.slug });
          else output.out.write(`${file}: ok (project ${result.policy.project.slug})\n`);
          return 0;
        }
        throw new EmbargoError('invalid_policy', `${file} is not a valid policy`, result.details);
      }),
    );

  policy
    .command('render')
    .description('Render SECURITY.md or security.txt from a policy file')
    .argument('<file>', 'policy YAML file')
    .requiredOption('--format <format>', 'security-md or security-txt')
    .option('--sign <keyfile>', 'sign security.txt with this armored OpenPGP private key')
    .option('--passphrase-env <name>', 'environment variable holding the signing key passphrase')
    .option('--canonical <url>', 'Canonical URL for security.txt (https)')
    .option('--policy-url <url>', 'Policy URL for security.txt (https)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((file: string, opts: { format: string; sign?: string; passphraseEnv?: string; canonical?: string; policyUrl?: string; output?: string; json?: boolean }) =>
      run(opts, async () => {
        const { parsePolicyYaml } = await policies();
        const parsed = parsePolicyYaml(await readText(file, 'policy file'), file);
        let text: string;
        if (opts.format === 'security-md') {
          if (opts.sign) throw new EmbargoError('validation_failed', '--sign applies to security-txt only', [{ path: '--sign', message: 'only with --format security-txt' }]);
          const { renderSecurityMd } = await import('../formats/security-md.ts');
          text = renderSecurityMd(parsed, {});
        } else if (opts.format === 'security-txt') {
          const { renderSecurityTxt } = await import('../formats/security-txt.ts');
          text = renderSecurityTxt(parsed, { now: new Date(), canonicalUrl: opts.canonical, policyUrl: opts.policyUrl });
          if (opts.sign) {
            const passphrase = opts.passphraseEnv ? process.env[opts.passphraseEnv] : undefined;
            const armoredPrivateKey = await readText(opts.sign, 'signing key');
            const { signCleartext } = await import('../crypto/cleartext-signature.ts');
            text = await signCleartext(text, passphrase === undefined ? { armoredPrivateKey } : { armoredPrivateKey, passphrase });
          }
        } else {
          throw new EmbargoError('validation_failed', `unknown format "${opts.format}"`, [{ path: '--format', message: 'must be security-md or security-txt' }]);
        }
        if (opts.output) await writeFile(opts.output, text);
        else output.out.write(text);
        return 0;
      }),
    );
}
