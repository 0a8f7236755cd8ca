import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as openpgp from 'openpgp';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../support/postgres-cluster.ts';
import { repoRoot, runCli } from '../support/cli.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';

const examples = join(repoRoot, 'examples/policies');
const seedPolicies = ['peyghom', 'leher', 'peft-studio', 'payqi', 'example-web-api'];

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'embargo-cli-'));
}

describe('embargo CLI', () => {
  it('has --help on every command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['serve', 'migrate', 'policy', 'project']) expect(top.stdout).toContain(command);
    const render = await runCli(['policy', 'render', '--help']);
    expect(render.code).toBe(0);
    expect(render.stdout).toMatch(/--format <format>/);
    expect(render.stdout).toMatch(/--sign <keyfile>/);
  });

  it('lints every example policy as valid', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(examples)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBe(5);
    for (const file of files) {
      const result = await runCli(['policy', 'lint', join(examples, file), '--json']);
      expect(result.code, `${file}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
    }
  });

  it('exits 1 on a bad policy and names each bad field', async () => {
    const dir = await tempDir();
    const file = join(dir, 'bad.yaml');
    const good = await readFile(join(examples, 'payqi.yaml'), 'utf8');
    await writeFile(file, good.replace(/^(\s*slug:).*$/m, '$1 "Not A Slug"') + '\nunexpected_key: 1\n');
    const result = await runCli(['policy', 'lint', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error \[invalid_policy\]/);
    expect(result.stderr).toMatch(/project\.slug: /);
    expect(result.stderr).toMatch(/unexpected_key/);
  });

  it('reports a missing file and an unknown format clearly', async () => {
    const missing = await runCli(['policy', 'lint', '/nonexistent/policy.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read policy file/);
    const format = await runCli(['policy', 'render', join(examples, 'payqi.yaml'), '--format', 'pdf']);
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(/--format: must be security-md or security-txt/);
  });

  it.each(seedPolicies)('renders SECURITY.md for %s', async (name) => {
    const result = await runCli(['policy', 'render', join(examples, `${name}.yaml`), '--format', 'security-md']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^# /);
    expect(result.stdout).toMatch(/Supported Versions/i);
  });

  it('renders a signed security.txt that gpg verifies', async () => {
    const dir = await tempDir();
    const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'Embargo test', email: 'security@example.org' }], format: 'armored' });
    await writeFile(join(dir, 'key.asc'), privateKey);
    await writeFile(join(dir, 'pub.asc'), publicKey);
    const out = join(dir, 'security.txt');
    const policy = await examplePolicyExpiringIn('payqi');
    const result = await runCli(['policy', 'render', policy.file, '--format', 'security-txt', '--sign', join(dir, 'key.asc'), '--output', out]);
    expect(result.code, result.stderr).toBe(0);
    const signed = await readFile(out, 'utf8');
    expect(signed).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----/);
    expect(signed).toMatch(/^Expires: /m);

    const gnupgHome = await mkdtemp(join(tmpdir(), 'embargo-gpg-'));
    const gpg = promisify(execFile);
    await gpg('gpg', ['--homedir', gnupgHome, '--batch', '--import', join(dir, 'pub.asc')]);
    const verified = await gpg('gpg', ['--homedir', gnupgHome, '--batch', '--verify', out]);
    expect(verified.stderr).toMatch(/Good signature/);
    await writeFile(out, signed.replace(/^Contact: .*$/m, 'Contact: mailto:attacker@evil.example'));
    await expect(gpg('gpg', ['--homedir', gnupgHome, '--batch', '--verify', out])).rejects.toThrow(/BAD signature/);
  });

  it('stops with a clear message and exit 1 on bad configuration', async () => {
    const result = await runCli(['serve'], { EMBARGO_DATA_DIR: await tempDir(), EMBARGO_PORT: 'eighty', EMBARGO_LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error \[invalid_config\]: configuration is invalid/);
    expect(result.stderr).toMatch(/^ {2}port: /m);
    expect(result.stderr).toMatch(/^ {2}logLevel: /m);
  });

  describe.each([
    ['the embedded database', async () => ({ EMBARGO_DATA_DIR: await tempDir() })],
    ['PostgreSQL', async () => ({ EMBARGO_DATA_DIR: await tempDir(), DATABASE_URL: await createDatabase(inject('postgresUrl'), `embargo_cli_${Date.now()}`) })],
  ])('project commands on %s', (_name, environment) => {
    it('migrates, creates a project from a policy, refuses a duplicate and exports the policy unchanged', async () => {
      const env = await environment();
      const migrated = await runCli(['migrate', '--json'], env);
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(JSON.parse(migrated.stdout).applied).toContain('0001-foundation');

      const { file, text } = await examplePolicyExpiringIn('leher');
      const created = await runCli(['project', 'create', '--policy', file, '--json'], env);
      expect(created.code, created.stderr).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({ slug: 'leher', policyRevision: 1 });

      const duplicate = await runCli(['project', 'create', '--policy', file], env);
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toMatch(/error \[conflict\]/);

      const exported = await runCli(['project', 'export', 'leher'], env);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toBe(text);

      const missing = await runCli(['project', 'export', 'nope'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/error \[not_found\]/);
    });
  });
});
