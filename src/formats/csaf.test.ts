import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Advisory } from '../domain/advisories/model.ts';
import { isEmbargoError } from '../errors.ts';
import { allAdvisories, base, bothScores, cvss40Only, draft, gitOnly, multiPackage, noSeverity, now, withdrawn } from './fixtures/advisories.ts';
import { csafFilename, importCsaf, renderCsaf } from './csaf.ts';
import type { CsafDocument } from './csaf.ts';
import { validateCsafDocument } from './validate-csaf.ts';

const opts = { now, baseUrl: 'https://payqi.example/.well-known/csaf/white/2026' };
const examplesDir = new URL('./fixtures/csaf/', import.meta.url);
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.json'));

/** CSAF 2.0 scores hold CVSS 3.x only: products of an advisory without a 3.1 vector cannot have a score (optional test 6.2.3). */
const unscorable = new Set<Advisory>([cvss40Only, noSeverity]);

describe('renderCsaf', () => {
  it.each(Object.entries(allAdvisories))('renders %s without mandatory-test errors or avoidable warnings', async (_name, advisory) => {
    const result = await validateCsafDocument(renderCsaf(advisory, opts));
    expect(result.errors).toEqual([]);
    const expected = unscorable.has(advisory) ? result.warnings.filter((warning) => !warning.startsWith('optionalTest_6_2_3:')) : result.warnings;
    expect(expected).toEqual([]);
  });

  it('explains the only warning left for advisories without a CVSS 3.1 vector', async () => {
    const result = await validateCsafDocument(renderCsaf(cvss40Only, opts));
    expect(result.warnings).toEqual(['optionalTest_6_2_3: /vulnerabilities/0/product_status/known_affected/0: missing score']);
  });

  it('describes the document: publisher, tracking, TLP, notes, self link and acknowledgments', () => {
    const { document } = renderCsaf(multiPackage, { ...opts, publisherCategory: 'coordinator', engine: { name: 'Embargo', version: '0.1.0' } });
    expect(document.publisher).toEqual({ category: 'coordinator', name: 'Payqi Ltd', namespace: 'https://payqi.example' });
    expect(document.tracking).toMatchObject({
      id: 'PAYQI-2026-0004',
      version: '3',
      initial_release_date: '2026-01-10T10:00:00.000Z',
      current_release_date: '2026-02-03T08:30:00.000Z',
      generator: { date: now.toISOString(), engine: { name: 'Embargo', version: '0.1.0' } },
    });
    expect(document.tracking.revision_history.map((revision) => revision.number)).toEqual(['1', '2', '3']);
    expect(document.distribution).toEqual({ tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } });
    expect(document.notes?.map((note) => note.category)).toEqual(['summary', 'details']);
    expect(document.references?.[0]).toEqual({ category: 'self', summary: 'Canonical URL', url: 'https://payqi.example/.well-known/csaf/white/2026/payqi-2026-0004.json' });
    expect(document.acknowledgments).toEqual([
      { names: ['Ada Lovelace'], summary: 'finder', urls: ['https://ada.example'] },
      { names: ['Grace Hopper'], summary: 'remediation developer' },
      { names: ['Payqi CERT'], summary: 'coordinator' },
    ]);
  });

  it('leaves acknowledgments out when nobody is credited', () => {
    expect(renderCsaf(cvss40Only, opts).document).not.toHaveProperty('acknowledgments');
  });

  it('is interim while an affected package has no fix, final once every one has', () => {
    expect(renderCsaf(multiPackage, opts).document.tracking.status).toBe('interim');
    expect(renderCsaf(base, opts).document.tracking.status).toBe('final');
    expect(renderCsaf(gitOnly, opts).document.tracking.status).toBe('final');
    expect(renderCsaf(draft, opts).document.tracking).toMatchObject({ status: 'draft', version: '0' });
  });

  it('builds vendor → package → version-range and version branches with statuses, remediations and scores', () => {
    const doc = renderCsaf(multiPackage, opts);
    const server = doc.product_tree!.branches![0]!.branches![0]!;
    expect(server.branches!.map((branch) => [branch.category, branch.name])).toEqual([
      ['product_version_range', 'vers:semver/>=1.0.0|<1.4.2'],
      ['product_version_range', 'vers:semver/>=2.0.0|<2.1.1'],
      ['product_version', '0.9.0'],
      ['product_version', '0.9.1'],
      ['product_version', '1.4.2'],
      ['product_version', '2.1.1'],
    ]);
    expect(server.branches![2]!.product!.product_identification_helper).toEqual({ purl: 'pkg:npm/%40payqi/server@0.9.0' });
    const vuln = doc.vulnerabilities![0]!;
    expect(vuln.product_status!.fixed).toEqual(['npm:@payqi/server:1.4.2', 'npm:@payqi/server:2.1.1', 'Go:github.com/payqi/agent:0.8.0']);
    expect(vuln.remediations!.map((remediation) => remediation.category)).toEqual(['vendor_fix', 'no_fix_planned', 'none_available', 'vendor_fix']);
    expect(vuln.remediations![0]!.url).toBe(multiPackage.references[0]!.url);
    expect(vuln.scores![0]!.products).toEqual(vuln.product_status!.known_affected);
    expect(vuln.notes!.find((note) => note.title === 'Affected commits of @payqi/server')?.text).toMatch(/^https:\/\/github\.com\/payqi\/server: introduced at the first commit, fixed by 6f0f5c2a/);
  });

  it('keeps product ids when packages are added or reordered', () => {
    const ids = (advisory: Advisory) => renderCsaf(advisory, opts).vulnerabilities![0]!.product_status!.known_affected;
    const reordered = { ...multiPackage, affected: [...multiPackage.affected].reverse() };
    expect(new Set(ids(reordered))).toEqual(new Set(ids(multiPackage)));
    const added = { ...multiPackage, affected: [{ ecosystem: 'Maven', name: 'com.payqi:sdk', ranges: [{ type: 'ECOSYSTEM' as const, introduced: '1.0', fixed: '1.1' }] }, ...multiPackage.affected] };
    expect(ids(added)).toEqual(expect.arrayContaining(ids(multiPackage)!));
  });

  it('scores CVSS 3.1 with the base score and carries CVSS 4.0 in a note only', () => {
    const doc = renderCsaf(bothScores, opts);
    const vuln = doc.vulnerabilities![0]!;
    expect(vuln.scores![0]!.cvss_v3).toEqual({ version: '3.1', vectorString: bothScores.severity!.cvss31!.vector, baseScore: 9.8, baseSeverity: 'CRITICAL' });
    expect(vuln.notes!.find((note) => note.title === 'CVSS v4.0')?.text).toContain(bothScores.severity!.cvss40!.vector);
    expect(JSON.stringify(vuln.scores)).not.toContain('CVSS:4.0');
    expect(JSON.stringify(doc)).not.toMatch(/cvss_?v4/i);
  });

  it('puts one catalogued CWE in cwe and the others in a note; other CVE ids are not ids', () => {
    const vuln = renderCsaf(bothScores, opts).vulnerabilities![0]!;
    expect(vuln.cwe).toBeUndefined();
    expect(vuln.notes!.find((note) => note.title === 'Additional weaknesses')?.text).toBe('CWE-99999, CWE-79, CWE-352');
    expect(vuln.notes!.find((note) => note.title === 'Other CVE IDs')?.text).toBe('CVE-2026-12346');
    expect(vuln.ids).toEqual([{ system_name: 'GHSA', text: 'GHSA-a2b3-c4d5-e6f7' }]);
    expect(renderCsaf(multiPackage, opts).vulnerabilities![0]!.cwe).toEqual({ id: 'CWE-89', name: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')" });
  });

  it('turns a withdrawn advisory into a csaf_base document with a withdrawal revision and no products', () => {
    const doc = renderCsaf(withdrawn, opts);
    expect(doc.document.category).toBe('csaf_base');
    expect(doc).not.toHaveProperty('product_tree');
    expect(doc).not.toHaveProperty('vulnerabilities');
    expect(doc.document.tracking).toMatchObject({ status: 'final', version: '2', current_release_date: '2026-02-10T12:00:00.000Z' });
    expect(doc.document.notes).toContainEqual({ category: 'description', title: 'Reasoning for Withdrawal', text: withdrawn.withdrawn!.reason });
  });

  it('refuses what it cannot express', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isEmbargoError(error) ? error.code : 'not coded';
      }
      return 'no error';
    };
    expect(codeOf(() => renderCsaf({ ...base, affected: [] }, opts))).toBe('validation_failed');
    expect(codeOf(() => renderCsaf(base, { ...opts, baseUrl: 'http://payqi.example/csaf' }))).toBe('validation_failed');
    const contradiction = { ...noSeverity, affected: [{ ecosystem: 'RubyGems', name: 'payqi', ranges: [], versions: ['3.0.2'], patched: ['3.0.2'] }] };
    expect(codeOf(() => renderCsaf(contradiction, opts))).toBe('validation_failed');
  });
});

describe('csafFilename', () => {
  it.each([
    ['PAYQI-2026-0003', 'payqi-2026-0003.json'],
    ['RHSA-2021:5217', 'rhsa-2021_5217.json'],
    ['cisco-sa-20180328-smi2', 'cisco-sa-20180328-smi2.json'],
    ['Example Co. #7 / 2024+1', 'example_co_7_2024+1.json'],
  ])('%s → %s', (trackingId, filename) => {
    expect(csafFilename(trackingId)).toBe(filename);
  });
});

describe('importCsaf', () => {
  it('has the three OASIS example advisories', () => {
    expect(examples.sort()).toEqual(['bsi-2022-0001.json', 'cisco-sa-20180328-smi2.json', 'rhsa-2021_5217.json']);
  });

  it.each(examples)('imports %s and exports it again without mandatory-test errors', async (file) => {
    const json: unknown = JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8'));
    const advisory = importCsaf(json, base.project);
    const original = json as CsafDocument;
    expect(advisory.title).toBe(original.document.title);
    expect(advisory.cveId).toBe(original.vulnerabilities![0]!.cve);
    expect(advisory.aliases).toContain(original.document.tracking.id);
    expect(advisory.affected.length).toBeGreaterThan(0);
    const result = await validateCsafDocument(renderCsaf(advisory, opts));
    expect(result.errors).toEqual([]);
  });

  it('maps the BSI example field by field', () => {
    const json: unknown = JSON.parse(readFileSync(new URL('bsi-2022-0001.json', examplesDir), 'utf8'));
    const advisory = importCsaf(json, base.project);
    expect(advisory).toMatchObject({
      id: 'BSI-2022-0001',
      cweIds: ['CWE-611'],
      severity: { cvss31: { vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:L/E:F/RL:O/RC:C', score: 5.7 }, rating: 'medium' },
      credits: [{ name: 'Damian Pfammatter (Cyber-Defense Campus)', type: 'OTHER' }],
      references: [{ type: 'FIX', url: 'https://github.com/csaf-tools/CVRF-CSAF-Converter/releases/tag/1.0.0-rc2' }],
      state: 'published',
      tlp: 'WHITE',
      revisions: [{ number: 1, date: '2022-03-17T13:03:42.105Z', summary: 'Initial revision' }],
    });
    expect(advisory.affected).toEqual([
      {
        ecosystem: 'CSAF Tools',
        name: 'CVRF-CSAF-Converter',
        ranges: [],
        versions: ['1.0.0-alpha', '1.0.0-dev1', '1.0.0-dev2', '1.0.0-dev3', '1.0.0-rc1'],
        patched: ['1.0.0-rc2'],
        unsupportedAffected: [],
      },
    ]);
  });

  it('treats a document without a TLP label as AMBER and renumbers semantic revision numbers', () => {
    const json: unknown = JSON.parse(readFileSync(new URL('cisco-sa-20180328-smi2.json', examplesDir), 'utf8'));
    const advisory = importCsaf(json, base.project);
    expect(advisory.tlp).toBe('AMBER');
    expect(advisory.revisions.map((revision) => revision.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it.each(Object.entries(allAdvisories))('reads back what renderCsaf wrote for %s', (_name, advisory) => {
    const back = importCsaf(renderCsaf(advisory, opts), advisory.project);
    expect(back).toMatchObject({ id: advisory.id, title: advisory.title, summary: advisory.summary, state: advisory.state, tlp: advisory.tlp, aliases: advisory.aliases });
    expect(back.cweIds).toEqual(advisory.withdrawn === undefined ? advisory.cweIds : []);
    expect(back.credits.map(({ name, type }) => ({ name, type }))).toEqual(advisory.credits.map(({ name, type }) => ({ name, type })));
    expect(back.withdrawn?.reason).toBe(advisory.withdrawn?.reason);
    if (advisory.withdrawn === undefined) expect(back.severity).toEqual(advisory.severity === null ? null : { cvss31: undefined, cvss40: undefined, ...advisory.severity });
  });

  it('refuses a document that is not CSAF', () => {
    try {
      importCsaf({ document: { title: 'x' } }, base.project);
      expect.unreachable();
    } catch (error) {
      expect(isEmbargoError(error) && error.code).toBe('validation_failed');
    }
  });
});
