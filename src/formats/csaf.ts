/**
 * CSAF 2.0 (`csaf_security_advisory`) from an advisory. The output is meant
 * to pass the CSAF mandatory tests and, where the data allows, the optional
 * ones: keys sorted (6.2.13), a canonical self link (6.2.11), a remediation
 * (6.2.2) and a purl (6.2.16) for every product, vers ranges (6.2.18).
 *
 * CSAF 2.0 has no place for CVSS 4.0, several CWEs or commit ranges; those
 * are carried in vulnerability notes, never in fields that would not validate.
 */
import type { Advisory, AdvisoryRevision } from '../domain/advisories/model.ts';
import { cveIdPattern } from '../domain/advisories/model.ts';
import { EmbargoError } from '../errors.ts';
import { creditLabel, cvss31Metric, cweName, nonEmpty, ratingLabel, referenceLabel, utc, withoutUndefined } from './advisory-common.ts';
import { planProducts } from './csaf-products.ts';
import type { ProductPlan } from './csaf-products.ts';
import { csafNoteTitles } from './csaf-types.ts';
import type { CsafDocument, CsafNote, CsafRevision, CsafVulnerability } from './csaf-types.ts';

export { importCsaf } from './csaf-import.ts';
export type { CsafDocument } from './csaf-types.ts';

export interface CsafOptions {
  /** Stamped on tracking.generator; passed in so rendering stays deterministic. */
  now: Date;
  /** https URL of the folder the document is served from; the self reference is this plus csafFilename(id). */
  baseUrl: string;
  /** `vendor` when the project publishes about its own software; `coordinator` when it coordinates for others. */
  publisherCategory?: 'vendor' | 'coordinator' | undefined;
  engine?: { name: string; version?: string | undefined } | undefined;
}

/** CSAF §5.1: the tracking id, lowercased, each run of other characters than `+`, `-`, a-z and 0-9 replaced by `_`. */
export function csafFilename(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

/**
 * A withdrawn advisory becomes a `csaf_base` document with no product tree
 * and no vulnerabilities, a note giving the reason, under the same tracking
 * id and a new revision. CSAF 2.0 has no withdrawal; this mirrors CSAF 2.1's
 * `csaf_withdrawn` profile and still validates as 2.0, whereas keeping a
 * `csaf_security_advisory` would go on telling scanners the products are
 * affected.
 */
export function renderCsaf(advisory: Advisory, opts: CsafOptions): CsafDocument {
  const revisions = revisionHistory(advisory);
  const first = revisions[0]!;
  const latest = revisions[revisions.length - 1]!;
  const withdrawn = advisory.withdrawn;
  const plan = withdrawn === undefined ? productPlan(advisory) : undefined;
  const status = advisory.state === 'draft' || advisory.state === 'scheduled' ? 'draft' : plan?.awaitingFix ? 'interim' : 'final';
  const doc: CsafDocument = {
    document: withoutUndefined({
      category: withdrawn === undefined ? 'csaf_security_advisory' : 'csaf_base',
      csaf_version: '2.0' as const,
      lang: 'en',
      title: advisory.title,
      publisher: { category: opts.publisherCategory ?? 'vendor', name: advisory.project.publisherName, namespace: advisory.project.publisherNamespace },
      tracking: {
        id: advisory.id,
        status,
        version: latest.number,
        revision_history: revisions,
        // The oldest revision is the initial release (optional test 6.2.5 compares the two).
        initial_release_date: first.date,
        current_release_date: latest.date,
        generator: { date: opts.now.toISOString(), engine: withoutUndefined({ name: opts.engine?.name ?? 'Embargo', version: opts.engine?.version }) },
      },
      distribution: { tlp: { label: advisory.tlp, url: 'https://www.first.org/tlp/' } },
      aggregate_severity: advisory.severity === null ? undefined : { text: ratingLabel(advisory.severity.rating) },
      notes: [
        { category: 'summary' as const, title: 'Summary', text: advisory.summary },
        ...(advisory.details.trim() === '' ? [] : [{ category: 'details' as const, title: 'Details', text: advisory.details }]),
        ...(withdrawn === undefined ? [] : [{ category: 'description' as const, title: csafNoteTitles.withdrawn, text: withdrawn.reason }]),
      ],
      references: [
        { category: 'self' as const, summary: 'Canonical URL', url: selfUrl(opts.baseUrl, advisory.id) },
        ...advisory.references.map((reference) => ({ category: 'external' as const, summary: referenceLabel(reference.type), url: reference.url })),
      ],
      acknowledgments: nonEmpty(
        advisory.credits.map((credit) => withoutUndefined({ names: [credit.name], summary: creditLabel(credit.type), urls: nonEmpty(credit.contact ?? []) })),
      ),
    }),
    ...(plan === undefined ? {} : { product_tree: { branches: [plan.vendor] }, vulnerabilities: [vulnerability(advisory, plan)] }),
  };
  return sortedKeys(doc) as CsafDocument;
}

function productPlan(advisory: Advisory): ProductPlan {
  if (advisory.affected.length === 0) {
    throw new EmbargoError('validation_failed', 'A CSAF security advisory needs at least one affected package', [{ path: 'affected', message: 'must not be empty' }]);
  }
  return planProducts(advisory, advisory.references.find((reference) => reference.type === 'FIX')?.url);
}

/**
 * Revision numbers are integers (CSAF allows integer versioning). With no
 * recorded revision, a draft is version 0 and anything public version 1. CSAF
 * consumers notice change only through a new revision, so a withdrawal later
 * than the last recorded revision gets one of its own.
 */
function revisionHistory(advisory: Advisory): CsafRevision[] {
  const toCsaf = (revision: AdvisoryRevision): CsafRevision => ({
    number: String(revision.number),
    date: utc(revision.date),
    summary: revision.summary.trim() === '' ? `Revision ${revision.number}` : revision.summary,
  });
  const recorded = [...advisory.revisions].sort((a, b) => a.number - b.number).map(toCsaf);
  const isDraft = advisory.state === 'draft' || advisory.state === 'scheduled';
  const history = recorded.length > 0 ? recorded
    : [isDraft ? { number: '0', date: utc(advisory.modified), summary: 'Draft' } : { number: '1', date: utc(advisory.published ?? advisory.created), summary: 'Initial release' }];
  const last = history[history.length - 1]!;
  const withdrawn = advisory.withdrawn;
  if (withdrawn !== undefined && Date.parse(withdrawn.at) > Date.parse(last.date)) {
    history.push({ number: String(Number(last.number) + 1), date: utc(withdrawn.at), summary: `Withdrawn: ${withdrawn.reason}` });
  }
  return history;
}

function vulnerability(advisory: Advisory, plan: ProductPlan): CsafVulnerability {
  const affected = plan.knownAffected;
  const severity = advisory.severity;
  const [firstCwe, ...moreCwes] = advisory.cweIds;
  const firstCweName = firstCwe === undefined ? undefined : cweName(firstCwe);
  // Only one CWE fits, and only by its catalogue name (mandatory test 6.1.11); the rest go to a note.
  const noteCwes = firstCweName === undefined ? advisory.cweIds : moreCwes;
  const otherCves = advisory.aliases.filter((alias) => cveIdPattern.test(alias) && alias !== advisory.cveId);
  const notes: CsafNote[] = [
    { category: 'description', title: 'Description', text: advisory.summary },
    ...(severity?.cvss40 === undefined ? [] : [{ category: 'other' as const, title: csafNoteTitles.cvss40, text: `${severity.cvss40.vector} (score ${severity.cvss40.score})` }]),
    ...(noteCwes.length === 0 ? [] : [{ category: 'other' as const, title: csafNoteTitles.moreWeaknesses, text: noteCwes.join(', ') }]),
    ...(otherCves.length === 0 ? [] : [{ category: 'other' as const, title: csafNoteTitles.moreCves, text: otherCves.join(', ') }]),
    ...plan.commitNotes,
  ];
  return withoutUndefined({
    title: advisory.title,
    cve: advisory.cveId,
    cwe: firstCwe === undefined || firstCweName === undefined ? undefined : { id: firstCwe, name: firstCweName },
    // CVE ids belong in `cve`, not `ids` (optional test 6.2.17).
    ids: nonEmpty(advisory.aliases.filter((alias) => !cveIdPattern.test(alias)).map((alias) => ({ system_name: systemName(alias), text: alias }))),
    notes,
    product_status: withoutUndefined({ known_affected: nonEmpty(affected), fixed: nonEmpty(plan.fixed) }),
    remediations: nonEmpty(plan.remediations),
    // CVSS 3.1 only: CSAF 2.0 scores cannot hold 4.0. Fixed products get no score (optional test 6.2.19).
    scores: severity?.cvss31 === undefined || affected.length === 0 ? undefined : [{ cvss_v3: cvss31Metric(severity.cvss31.vector), products: affected }],
    threats: severity === null || affected.length === 0 ? undefined : [{ category: 'impact' as const, details: ratingLabel(severity.rating), product_ids: affected }],
    release_date: advisory.published === undefined ? undefined : utc(advisory.published),
  });
}

/** `GHSA-xxxx-…` → `GHSA`: the letters an id starts with name the system that issued it. */
function systemName(alias: string): string {
  return /^[A-Za-z]+/.exec(alias)?.[0] ?? 'Alias';
}

function selfUrl(baseUrl: string, trackingId: string): string {
  const base = URL.canParse(baseUrl) ? new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`) : undefined;
  if (base?.protocol !== 'https:') {
    throw new EmbargoError('validation_failed', 'baseUrl must be an https:// URL (CSAF canonical URL)', [{ path: 'baseUrl', message: 'must be an https:// URL' }]);
  }
  return new URL(csafFilename(trackingId), base).href;
}

/** Optional test 6.2.13 wants every object's keys in the order this collator gives. */
const collator = new Intl.Collator();

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => collator.compare(a, b));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortedKeys(item)]));
}
