/**
 * CVE JSON 5.1 record from an advisory that has a CVE id, as a CNA submits
 * it. A withdrawn advisory becomes a REJECTED record: the CVE id should no
 * longer be used, and the reason is all the record says.
 */
import type { AffectedPackage, Advisory, ReferenceType, VersionRange } from '../domain/advisories/model.ts';
import { EmbargoError } from '../errors.ts';
import { creditLabel, cvss31Metric, cweName, nonEmpty, severityName, unique, utc, withoutUndefined } from './advisory-common.ts';
import { ecosystemNames, packageRanges } from './advisory-packages.ts';

export interface Cve5Options {
  /** Stamped as providerMetadata.dateUpdated; passed in so rendering stays deterministic. */
  now: Date;
  /** The CNA's organisation UUID in the CVE Services user registry. */
  assignerOrgId: string;
  assignerShortName: string;
  /** The advisory's public page, listed first and tagged vendor-advisory. */
  advisoryUrl?: string | undefined;
}

export type Cve5Record = Record<string, unknown>;

/** Schema limits (cnaPublishedContainer): longer texts are shortened, not rejected by CVE Services later. */
const maxTitle = 256;
const maxDescription = 4096;
const maxMedia = 16384;

/** CVE reference tags for the model's reference types; types without a fitting tag get none. */
const referenceTags: Partial<Record<ReferenceType, string>> = {
  ARTICLE: 'technical-description',
  DETECTION: 'signature',
  EVIDENCE: 'exploit',
  FIX: 'patch',
  PACKAGE: 'product',
  REPORT: 'issue-tracking',
};

export function renderCve5(advisory: Advisory, opts: Cve5Options): Cve5Record {
  const cveId = advisory.cveId;
  if (cveId === undefined) {
    throw new EmbargoError('validation_failed', 'Only an advisory with a CVE id has a CVE record', [{ path: 'cveId', message: 'is required for a CVE record' }]);
  }
  const providerMetadata = { orgId: opts.assignerOrgId, shortName: opts.assignerShortName, dateUpdated: opts.now.toISOString() };
  const metadata = {
    cveId,
    assignerOrgId: opts.assignerOrgId,
    assignerShortName: opts.assignerShortName,
    datePublished: advisory.published === undefined ? undefined : utc(advisory.published),
    dateUpdated: utc(advisory.modified),
  };
  const record = (cveMetadata: object, cna: object): Cve5Record => ({ dataType: 'CVE_RECORD', dataVersion: '5.1', cveMetadata: withoutUndefined(cveMetadata), containers: { cna } });
  if (advisory.withdrawn !== undefined) {
    return record(
      { ...metadata, state: 'REJECTED', dateRejected: utc(advisory.withdrawn.at) },
      { providerMetadata, rejectedReasons: [{ lang: 'en', value: shortened(advisory.withdrawn.reason, maxDescription) }] },
    );
  }
  return record(
    { ...metadata, state: 'PUBLISHED' },
    withoutUndefined({
      providerMetadata,
      title: shortened(advisory.title, maxTitle),
      datePublic: metadata.datePublished,
      descriptions: [description(advisory)],
      affected: advisory.affected.map((pkg, index) => affected(pkg, `affected[${index}]`, advisory.project.publisherName)),
      problemTypes: nonEmpty(advisory.cweIds.map((id) => ({ descriptions: [{ lang: 'en', type: 'CWE', cweId: id, description: `${id} ${cweName(id) ?? ''}`.trim() }] }))),
      metrics: nonEmpty(metrics(advisory)),
      references: references(advisory, opts.advisoryUrl),
      credits: nonEmpty(advisory.credits.map((credit) => ({ lang: 'en', value: credit.name, type: creditLabel(credit.type) }))),
    }),
  );
}

/** The plain text, and the same text as Markdown media when it is there (details are Markdown). */
function description(advisory: Advisory): object {
  const full = [advisory.summary, advisory.details].filter((text) => text.trim() !== '').join('\n\n');
  const media = advisory.details.trim() !== '' && full.length <= maxMedia ? [{ type: 'text/markdown', base64: false, value: full }] : undefined;
  return withoutUndefined({ lang: 'en', value: full.length <= maxDescription ? full : shortened(advisory.summary, maxDescription), supportingMedia: media });
}

function affected(pkg: AffectedPackage, path: string, vendor: string): object {
  const ranges = packageRanges(pkg, path);
  const entries = [
    ...ranges.map((range) => rangeEntry(pkg, range)),
    ...unique([...(pkg.versions ?? []), ...(pkg.unsupportedAffected ?? [])]).map((version) => ({ version, status: 'affected' })),
    ...unique(pkg.patched ?? []).map((version) => ({ version, status: 'unaffected' })),
  ];
  // The schema wants unique entries; identical ranges given twice would repeat one.
  const versions = entries.filter((entry, index) => entries.findIndex((other) => JSON.stringify(other) === JSON.stringify(entry)) === index);
  const collection = ecosystemNames(pkg.ecosystem)?.collectionUrl;
  return withoutUndefined({
    vendor,
    product: pkg.name,
    collectionURL: collection,
    packageName: collection === undefined ? undefined : pkg.name,
    repo: ranges.find((range) => range.type === 'GIT')?.repo,
    // With versions listed, anything else is unaffected; with none, the package as a whole is affected.
    defaultStatus: versions.length > 0 ? 'unaffected' : 'affected',
    versions: nonEmpty(versions),
  });
}

function rangeEntry(pkg: AffectedPackage, range: VersionRange): object {
  return withoutUndefined({
    version: range.introduced,
    status: 'affected',
    versionType: versionType(pkg, range),
    lessThanOrEqual: range.lastAffected,
    // `*` is CVE's "no upper limit".
    lessThan: range.lastAffected !== undefined ? undefined : (range.fixed ?? '*'),
  });
}

/** CVE names the comparison rules; ecosystems without a common name are `custom`. */
function versionType(pkg: AffectedPackage, range: VersionRange): string {
  if (range.type === 'SEMVER') return 'semver';
  if (range.type === 'GIT') return 'git';
  const known: Record<string, string> = { pypi: 'python', maven: 'maven' };
  return known[ecosystemNames(pkg.ecosystem)?.purlType ?? ''] ?? 'custom';
}

function metrics(advisory: Advisory): object[] {
  const severity = advisory.severity;
  const general = { format: 'CVSS', scenarios: [{ lang: 'en', value: 'GENERAL' }] };
  return [
    ...(severity?.cvss31 === undefined ? [] : [{ ...general, cvssV3_1: cvss31Metric(severity.cvss31.vector) }]),
    ...(severity?.cvss40 === undefined
      ? []
      : [{ ...general, cvssV4_0: { version: '4.0', vectorString: severity.cvss40.vector, baseScore: severity.cvss40.score, baseSeverity: severityName(severity.cvss40.score) } }]),
  ];
}

function references(advisory: Advisory, advisoryUrl: string | undefined): object[] {
  const all = [
    ...(advisoryUrl === undefined ? [] : [{ url: advisoryUrl, tags: ['vendor-advisory'] }]),
    ...advisory.references.map((reference) => {
      const tag = referenceTags[reference.type];
      return tag === undefined ? { url: reference.url } : { url: reference.url, tags: [tag] };
    }),
  ];
  const distinct = all.filter((reference, index) => all.findIndex((other) => other.url === reference.url) === index);
  if (distinct.length === 0) {
    throw new EmbargoError('validation_failed', 'A CVE record needs at least one reference', [{ path: 'references', message: 'add a reference or pass advisoryUrl' }]);
  }
  return distinct;
}

function shortened(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
