import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateOsv } from '../../src/formats/validate-osv.ts';
import { repoRoot, runCli } from '../support/cli.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';

const osv = {
  schema_version: '1.6.0',
  id: 'GHSA-2345-6789-cfgh',
  modified: '2025-03-01T10:00:00Z',
  published: '2025-02-01T10:00:00Z',
  aliases: ['CVE-2025-12345'],
  summary: 'Path traversal in payqi-server',
  details: 'The download endpoint reads files outside its directory.',
  affected: [{ package: { ecosystem: 'npm', name: 'payqi-server' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.4.3' }] }] }],
  references: [{ type: 'FIX', url: 'https://example.org/payqi/commit/abc' }],
  credits: [{ name: 'Ada Researcher', type: 'FINDER' }],
};

describe('embargo advisory import and export', () => {
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embargo-advisory-'));
    // CSAF documents name their canonical https URL.
    env = { EMBARGO_DATA_DIR: join(dir, 'data'), EMBARGO_PUBLIC_URL: 'https://embargo.test' };
    const created = await runCli(['project', 'create', '--policy', (await examplePolicyExpiringIn('payqi')).file], env);
    expect(created.code, created.stderr).toBe(0);
  }, 120_000);

  it('imports OSV and CSAF files published with their dates, and exports OSV back', { timeout: 120_000 }, async () => {
    await writeFile(join(dir, 'ghsa.json'), JSON.stringify(osv));
    const imported = await runCli(['advisory', 'import', join(dir, 'ghsa.json'), join(repoRoot, 'src/formats/fixtures/osv/ghsa-tough-cookie.json'), join(repoRoot, 'src/formats/fixtures/csaf/bsi-2022-0001.json'), '--project', 'payqi', '--json'], env);
    expect(imported.code, imported.stderr).toBe(0);
    const [first, second, third] = JSON.parse(imported.stdout).imported;
    expect(first).toMatchObject({ id: 'PAYQI-2025-0001', state: 'published' });
    expect([second.state, third.state]).toEqual(['published', 'published']);
    const csaf = await runCli(['advisory', 'export', third.id, '--format', 'csaf'], env);
    expect(csaf.code, csaf.stderr).toBe(0);
    expect(JSON.parse(csaf.stdout).document.tracking.id).toBe(third.id);

    const exported = await runCli(['advisory', 'export', first.id, '--format', 'osv'], env);
    expect(exported.code, exported.stderr).toBe(0);
    const entry = JSON.parse(exported.stdout);
    expect(validateOsv(entry)).toEqual([]);
    expect(entry).toMatchObject({ id: 'x_PAYQI-2025-0001', published: '2025-02-01T10:00:00.000Z', summary: 'Path traversal in payqi-server', credits: [{ name: 'Ada Researcher', type: 'FINDER' }] });
    expect(entry.aliases).toEqual(expect.arrayContaining(['CVE-2025-12345', 'GHSA-2345-6789-cfgh']));
  });

  it('imports as a draft on request, and refuses an unknown export format', { timeout: 120_000 }, async () => {
    await writeFile(join(dir, 'draft.json'), JSON.stringify({ ...osv, id: 'GHSA-3456-789c-fghj' }));
    const imported = await runCli(['advisory', 'import', join(dir, 'draft.json'), '--project', 'payqi', '--draft', '--json'], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).imported[0].state).toBe('draft');
    const format = await runCli(['advisory', 'export', 'PAYQI-2025-0001', '--format', 'pdf'], env);
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(/--format: must be osv, csaf or cve5/);
  });
});
