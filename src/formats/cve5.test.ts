import { describe, expect, it } from 'vitest';
import { isEmbargoError } from '../errors.ts';
import { allAdvisories, base, bothScores, cvss40Only, multiPackage, noSeverity, now, withdrawn } from './fixtures/advisories.ts';
import { renderCve5 } from './cve5.ts';
import { validateCve5 } from './validate-cve5.ts';

const opts = { now, assignerOrgId: '8254265b-2729-46b6-b9e3-3dfca2d5bfca', assignerShortName: 'payqi' };
const withCve = Object.entries(allAdvisories).filter(([, advisory]) => advisory.cveId !== undefined);

interface Cna {
  affected: Array<Record<string, unknown> & { versions?: Array<Record<string, string>> }>;
  metrics?: Array<Record<string, unknown>>;
  credits?: unknown[];
  references: unknown[];
  problemTypes?: unknown[];
  descriptions: Array<{ value: string }>;
}
const cnaOf = (record: Record<string, unknown>) => (record.containers as { cna: Cna }).cna;

describe('renderCve5', () => {
  it.each(withCve)('renders %s as a schema-valid record', (_name, advisory) => {
    expect(validateCve5(renderCve5(advisory, opts))).toEqual([]);
  });

  it('describes affected packages with semver, git and ecosystem ranges, listed and fixed versions', () => {
    const [server, client, agent] = cnaOf(renderCve5(multiPackage, opts)).affected;
    expect(server).toMatchObject({ vendor: 'Payqi Ltd', product: '@payqi/server', collectionURL: 'https://registry.npmjs.org', packageName: '@payqi/server', repo: 'https://github.com/payqi/server', defaultStatus: 'unaffected' });
    expect(server!.versions).toEqual([
      { version: '1.0.0', status: 'affected', versionType: 'semver', lessThan: '1.4.2' },
      { version: '2.0.0', status: 'affected', versionType: 'semver', lessThan: '2.1.1' },
      { version: '0', status: 'affected', versionType: 'git', lessThan: '6f0f5c2a4f8c1a1e9d7b3c5e2a4b6d8f0e1c3a5b' },
      { version: '0.9.0', status: 'affected' },
      { version: '0.9.1', status: 'affected' },
      { version: '1.4.2', status: 'unaffected' },
      { version: '2.1.1', status: 'unaffected' },
    ]);
    expect(client!.versions).toEqual([{ version: '2.0', status: 'affected', versionType: 'python', lessThanOrEqual: '2.3.post1' }]);
    expect(agent!.versions![0]).toEqual({ version: '0', status: 'affected', versionType: 'semver', lessThan: '0.8.0' });
  });

  it('gives both CVSS metrics with base scores and severities', () => {
    const metrics = cnaOf(renderCve5(bothScores, opts)).metrics!;
    expect(metrics.map((metric) => Object.keys(metric).filter((key) => key.startsWith('cvss')))).toEqual([['cvssV3_1'], ['cvssV4_0']]);
    expect(metrics[0]!.cvssV3_1).toMatchObject({ baseScore: 9.8, baseSeverity: 'CRITICAL' });
    expect(metrics[1]!.cvssV4_0).toMatchObject({ version: '4.0', baseScore: bothScores.severity!.cvss40!.score });
    expect(cnaOf(renderCve5(noSeverity, opts))).not.toHaveProperty('metrics');
  });

  it('maps credit types, CWEs and reference tags', () => {
    const cna = cnaOf(renderCve5(multiPackage, { ...opts, advisoryUrl: 'https://payqi.example/advisories/PAYQI-2026-0004' }));
    expect(cna.credits).toEqual([
      { lang: 'en', value: 'Ada Lovelace', type: 'finder' },
      { lang: 'en', value: 'Grace Hopper', type: 'remediation developer' },
      { lang: 'en', value: 'Payqi CERT', type: 'coordinator' },
    ]);
    expect(cna.problemTypes).toEqual([
      { descriptions: [{ lang: 'en', type: 'CWE', cweId: 'CWE-89', description: "CWE-89 Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')" }] },
      { descriptions: [{ lang: 'en', type: 'CWE', cweId: 'CWE-20', description: 'CWE-20 Improper Input Validation' }] },
    ]);
    expect(cna.references).toEqual([
      { url: 'https://payqi.example/advisories/PAYQI-2026-0004', tags: ['vendor-advisory'] },
      { url: multiPackage.references[0]!.url, tags: ['patch'] },
      { url: 'https://github.com/payqi/server/issues/42', tags: ['issue-tracking'] },
      { url: 'https://payqi.example/blog/export-injection', tags: ['technical-description'] },
    ]);
  });

  it('publishes the summary and the Markdown details', () => {
    const [description] = cnaOf(renderCve5(base, opts)).descriptions;
    expect(description).toEqual({
      lang: 'en',
      value: `${base.summary}\n\n${base.details}`,
      supportingMedia: [{ type: 'text/markdown', base64: false, value: `${base.summary}\n\n${base.details}` }],
    });
  });

  it('rejects the CVE of a withdrawn advisory, giving the reason', () => {
    const record = renderCve5(withdrawn, opts);
    expect(record.cveMetadata).toMatchObject({ state: 'REJECTED', dateRejected: '2026-02-10T12:00:00.000Z' });
    expect(record.containers).toEqual({ cna: { providerMetadata: { orgId: opts.assignerOrgId, shortName: 'payqi', dateUpdated: now.toISOString() }, rejectedReasons: [{ lang: 'en', value: withdrawn.withdrawn!.reason }] } });
  });

  it('needs a CVE id and a reference', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isEmbargoError(error) ? error.details[0]!.path : 'not coded';
      }
      return 'no error';
    };
    expect(codeOf(() => renderCve5(cvss40Only, opts))).toBe('cveId');
    expect(codeOf(() => renderCve5({ ...base, references: [] }, opts))).toBe('references');
    expect(validateCve5(renderCve5({ ...base, references: [] }, { ...opts, advisoryUrl: 'https://payqi.example/a/1' }))).toEqual([]);
  });
});
