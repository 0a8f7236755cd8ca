import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Advisory } from '../domain/advisories/model.ts';
import { isEmbargoError } from '../errors.ts';
import { allAdvisories, base, cvss40Only, multiPackage, withdrawn } from './fixtures/advisories.ts';
import { importOsv, osvId, renderOsv } from './osv.ts';
import type { OsvEntry } from './osv.ts';
import { validateOsv } from './validate-osv.ts';

const ghsa: unknown = JSON.parse(readFileSync(new URL('./fixtures/osv/ghsa-tough-cookie.json', import.meta.url), 'utf8'));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('renderOsv', () => {
  it.each(Object.entries(allAdvisories))('renders %s as a schema-valid entry', (_name, advisory) => {
    expect(validateOsv(renderOsv(advisory))).toEqual([]);
  });

  it.each(Object.entries(allAdvisories))('keeps the event rules in %s', (_name, advisory) => {
    for (const affected of renderOsv(advisory).affected ?? []) {
      for (const range of affected.ranges ?? []) {
        expect(range.events.every((event) => Object.keys(event).length === 1)).toBe(true);
        expect(Object.keys(range.events[0]!)).toEqual(['introduced']);
        const kinds = range.events.map((event) => Object.keys(event)[0]);
        expect(kinds.includes('fixed') && kinds.includes('last_affected')).toBe(false);
        if (range.type === 'SEMVER') {
          for (const event of range.events) expect(Object.values(event)[0]).not.toMatch(/^v/i);
        }
        if (range.type === 'GIT') expect(range.repo).toMatch(/^https:\/\//);
      }
    }
  });

  it('strips the leading v from SEMVER versions and keeps last_affected as its own range end', () => {
    const [server, client] = renderOsv(multiPackage).affected!;
    expect(server!.ranges![0]!.events).toEqual([{ introduced: '1.0.0' }, { fixed: '1.4.2' }]);
    expect(client!.ranges![0]).toEqual({ type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { last_affected: '2.3.post1' }] });
  });

  it('lists unsupported versions as affected and keeps them apart in database_specific', () => {
    const server = renderOsv(multiPackage).affected![0]!;
    expect(server.versions).toEqual(['0.9.0', '0.9.1']);
    expect(server.database_specific).toEqual({ unsupported_affected_versions: ['0.9.0', '0.9.1'], patched_versions: ['1.4.2', '2.1.1'] });
  });

  it('carries CVE id, aliases, severities, CWE ids, rating and typed credits', () => {
    const entry = renderOsv({ ...multiPackage, severity: allAdvisories.bothScores!.severity });
    expect(entry.aliases).toEqual(['CVE-2026-12345', 'GHSA-p5q6-r7s8-t9v2']);
    expect(entry.severity?.map((severity) => severity.type)).toEqual(['CVSS_V3', 'CVSS_V4']);
    expect(entry.database_specific).toEqual({ cwe_ids: ['CWE-89', 'CWE-20'], severity: 'CRITICAL' });
    expect(entry.credits).toEqual([
      { name: 'Ada Lovelace', contact: ['https://ada.example'], type: 'FINDER' },
      { name: 'Grace Hopper', type: 'REMEDIATION_DEVELOPER' },
      { name: 'Payqi CERT', type: 'COORDINATOR' },
    ]);
    expect(entry.summary).toBe(multiPackage.title);
    expect(entry.details).toBe(`${multiPackage.summary}\n\n${multiPackage.details}`);
  });

  it('omits severity and credits when there are none', () => {
    const entry = renderOsv({ ...cvss40Only, severity: null });
    expect(entry).not.toHaveProperty('severity');
    expect(entry).not.toHaveProperty('credits');
  });

  it('names software outside OSV ecosystems in database_specific instead of package', () => {
    const [affected] = renderOsv(cvss40Only).affected!;
    expect(affected).not.toHaveProperty('package');
    expect(affected!.database_specific).toEqual({ package: { ecosystem: 'Router firmware', name: 'ACME R1 firmware' } });
  });

  it('marks a withdrawn advisory with the date and reason', () => {
    const entry = renderOsv(withdrawn);
    expect(entry.withdrawn).toBe('2026-02-10T12:00:00.000Z');
    expect(entry.database_specific?.withdrawn_reason).toBe(withdrawn.withdrawn!.reason);
  });

  it('uses registered ids as they are and prefixes the others with x_', () => {
    expect(osvId('PAYQI-2026-0003')).toBe('x_PAYQI-2026-0003');
    expect(osvId('GHSA-72xf-g2v4-qvf3')).toBe('GHSA-72xf-g2v4-qvf3');
    expect(renderOsv(base).id).toBe('x_PAYQI-2026-0003');
    const error = thrown(() => renderOsv(base, { databaseIdPrefix: 'EMBARGO-' }));
    expect(isEmbargoError(error) && error.code).toBe('validation_failed');
  });

  it.each([
    ['fixed and lastAffected together', { type: 'SEMVER', introduced: '1.0.0', fixed: '1.1.0', lastAffected: '1.0.9' }],
    ['a GIT range without repo', { type: 'GIT', introduced: '0' }],
    ['an empty introduced', { type: 'ECOSYSTEM', introduced: ' ' }],
  ] as const)('refuses %s', (_case, range) => {
    const advisory: Advisory = { ...base, affected: [{ ecosystem: 'npm', name: 'x', ranges: [range] }] };
    const error = thrown(() => renderOsv(advisory));
    expect(isEmbargoError(error) && error.details[0]!.path).toBe('affected[0].ranges[0]');
  });
});

describe('importOsv', () => {
  it('imports a GitHub-shaped entry, keeping the GHSA id as an alias', () => {
    const advisory = importOsv(ghsa, base.project);
    expect(advisory.cveId).toBe('CVE-2023-26136');
    expect(advisory.aliases).toEqual(['GHSA-72xf-g2v4-qvf3']);
    expect(advisory.title).toBe('tough-cookie Prototype Pollution vulnerability');
    expect(advisory.summary).toMatch(/^Versions of the package tough-cookie before 4\.1\.3/);
    expect(advisory.severity).toEqual({ cvss31: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N', score: 6.5 }, cvss40: undefined, rating: 'medium' });
    expect(advisory.cweIds).toEqual(['CWE-1321']);
    expect(advisory.affected).toEqual([
      { ecosystem: 'npm', name: 'tough-cookie', purl: 'pkg:npm/tough-cookie', ranges: [{ type: 'SEMVER', repo: undefined, introduced: '0', fixed: '4.1.3' }], versions: [], patched: [], unsupportedAffected: [] },
    ]);
    expect(advisory.references.map((reference) => reference.type)).toEqual(['ADVISORY', 'WEB', 'FIX', 'PACKAGE', 'WEB']);
    expect(advisory).toMatchObject({ state: 'published', published: '2023-07-01T06:30:16Z', modified: '2024-06-21T21:33:53Z', tlp: 'WHITE' });
  });

  it('round-trips the GitHub entry to valid OSV with the same affected ranges', () => {
    const entry = renderOsv(importOsv(ghsa, base.project));
    const original = ghsa as OsvEntry;
    expect(validateOsv(entry)).toEqual([]);
    expect(entry.id).toBe('GHSA-72xf-g2v4-qvf3');
    expect(entry.aliases).toEqual(['CVE-2023-26136']);
    expect(entry.affected).toEqual([{ package: original.affected![0]!.package, ranges: original.affected![0]!.ranges }]);
    expect(entry.severity).toEqual(original.severity);
    expect(entry.references).toEqual(original.references);
  });

  it.each(Object.entries(allAdvisories))('reads back what renderOsv wrote for %s', (_name, advisory) => {
    const back = importOsv(renderOsv(advisory), advisory.project);
    expect(back.id).toBe(advisory.id);
    expect(renderOsv(back)).toEqual(renderOsv(advisory));
    expect({ ...back.severity }).toEqual({ cvss31: undefined, cvss40: undefined, ...advisory.severity });
    expect(back.credits.map(({ name, type }) => ({ name, type }))).toEqual(advisory.credits.map(({ name, type }) => ({ name, type })));
  });

  it('splits several intervals of one range into model ranges and ignores limit events', () => {
    const entry = {
      id: 'GHSA-aaaa-bbbb-cccc',
      modified: '2024-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'PyPI', name: 'pkg' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.2' }, { introduced: '2.0' }, { limit: '3.0' }] }] }],
    };
    expect(importOsv(entry, base.project).affected[0]!.ranges).toEqual([
      { type: 'ECOSYSTEM', repo: undefined, introduced: '1.0', fixed: '1.2' },
      { type: 'ECOSYSTEM', repo: undefined, introduced: '2.0' },
    ]);
  });

  it('refuses an invalid entry with field paths', () => {
    const error = thrown(() => importOsv({ id: 'NOPE-1', modified: 'yesterday' }, base.project));
    expect(isEmbargoError(error) && error.code).toBe('validation_failed');
    expect(isEmbargoError(error) && error.details.map((detail) => detail.path)).toEqual(expect.arrayContaining(['id', 'modified']));
  });
});
