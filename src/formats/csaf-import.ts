/**
 * An advisory from a CSAF 2.0 document (another publisher's, or one Embargo
 * wrote). The document is checked against the CSAF schema first (the lenient
 * variant: other publishers add properties of their own). The model holds
 * one vulnerability; further vulnerabilities contribute their products,
 * and their CVE ids as aliases.
 *
 * Lossy by necessity: revision numbers are renumbered 1, 2, … by date (the
 * model numbers revisions with integers; Cisco, for one, uses 1.1.0); a
 * product without a version becomes a package with no version information;
 * a document without a TLP label is imported as AMBER, so nothing becomes
 * public by accident.
 */
import { csaf_2_0 } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import { cveIdPattern } from '../domain/advisories/model.ts';
import type { Advisory, AdvisoryRevision, Credit, Reference, Severity } from '../domain/advisories/model.ts';
import { scoreVector } from '../domain/cvss/score.ts';
import { EmbargoError } from '../errors.ts';
import { creditTypeOfLabel, ratingOfWord, referenceTypeOfLabel, unique } from './advisory-common.ts';
import { packagesOf } from './csaf-import-products.ts';
import { csafNoteTitles } from './csaf-types.ts';
import type { CsafAcknowledgment, CsafDocument, CsafNote, CsafVulnerability } from './csaf-types.ts';

const proseCategories = new Set(['description', 'details', 'general', 'summary']);

export function importCsaf(json: unknown, project: Advisory['project']): Advisory {
  const check = csaf_2_0(json);
  if (check.isValid === false) {
    throw new EmbargoError('validation_failed', 'The document is not valid CSAF 2.0', (check.errors ?? []).map((error) => ({ path: error.instancePath || '(root)', message: error.message })));
  }
  // Safe after validation: the schema guarantees the shape CsafDocument describes.
  const doc = json as CsafDocument;
  const { document } = doc;
  const vulns = doc.vulnerabilities ?? [];
  const primary: CsafVulnerability = vulns[0] ?? {};
  const ours = document.publisher.namespace === project.publisherNamespace;
  const withdrawalNote = (document.notes ?? []).find((note) => note.title === csafNoteTitles.withdrawn);
  const revisions = renumbered(document.tracking.revision_history);
  const summary = (document.notes ?? []).find((note) => note.category === 'summary')?.text ?? primary.notes?.find((note) => note.category === 'description')?.text ?? document.title;
  const allNotes = [...(document.notes ?? []), ...vulns.flatMap((vuln) => vuln.notes ?? [])];
  const cves = unique([...vulns.flatMap((vuln) => (vuln.cve === undefined ? [] : [vuln.cve])), ...listedIn(allNotes, csafNoteTitles.moreCves, cveIdPattern)]);
  const isDraft = document.tracking.status === 'draft';
  return {
    id: document.tracking.id,
    project,
    title: document.title,
    summary,
    details: unique(allNotes.filter((note) => proseCategories.has(note.category) && note !== withdrawalNote && note.text !== summary).map((note) => note.text)).join('\n\n'),
    severity: severityOf(doc, allNotes),
    cweIds: unique([...vulns.flatMap((vuln) => (vuln.cwe === undefined ? [] : [vuln.cwe.id])), ...listedIn(allNotes, csafNoteTitles.moreWeaknesses, /^CWE-\d+$/)]),
    affected: packagesOf(doc, document.publisher.name),
    references: references(doc, ours),
    credits: [...(document.acknowledgments ?? []), ...vulns.flatMap((vuln) => vuln.acknowledgments ?? [])].flatMap(credits),
    cveId: primary.cve,
    aliases: unique([
      ...(ours ? [] : [document.tracking.id]),
      ...cves.filter((cve) => cve !== primary.cve),
      ...vulns.flatMap((vuln) => (vuln.ids ?? []).map((id) => id.text).filter((text) => !URL.canParse(text))),
    ]),
    state: isDraft ? 'draft' : withdrawalNote === undefined ? 'published' : 'withdrawn',
    created: document.tracking.initial_release_date,
    published: isDraft ? undefined : document.tracking.initial_release_date,
    modified: document.tracking.current_release_date,
    withdrawn: withdrawalNote === undefined ? undefined : { at: document.tracking.current_release_date, reason: withdrawalNote.text },
    revisions,
    tlp: document.distribution?.tlp?.label ?? 'AMBER',
  };
}

function renumbered(history: CsafDocument['document']['tracking']['revision_history']): AdvisoryRevision[] {
  return [...history]
    .sort((a, b) => Date.parse(a.date) - Date.parse(b.date))
    .map((revision, index) => ({ number: index + 1, date: revision.date, summary: revision.summary }));
}

/** Ids listed in one of Embargo's own notes (`Additional weaknesses: CWE-20, CWE-79`). */
function listedIn(notes: readonly CsafNote[], title: string, pattern: RegExp): string[] {
  return notes.filter((note) => note.title === title).flatMap((note) => note.text.split(/[\s,]+/).filter((item) => pattern.test(item)));
}

/** The rating the publisher states wins over the one a score implies; Red Hat's "Important" is our `high`. */
function severityOf(doc: CsafDocument, notes: readonly CsafNote[]): Severity | null {
  const vector31 = (doc.vulnerabilities ?? []).flatMap((vuln) => vuln.scores ?? []).find((score) => score.cvss_v3?.version === '3.1')?.cvss_v3?.vectorString;
  const vector40 = notes.find((note) => note.title === csafNoteTitles.cvss40)?.text.match(/CVSS:4\.0\/\S+/)?.[0];
  const scored = (vector: string | undefined) => {
    const result = vector === undefined ? undefined : scoreVector(vector);
    return result?.ok ? result.score : undefined;
  };
  const cvss31 = scored(vector31);
  const cvss40 = scored(vector40);
  const threat = (doc.vulnerabilities ?? []).flatMap((vuln) => vuln.threats ?? []).find((item) => item.category === 'impact')?.details;
  const rating = ratingOfWord(doc.document.aggregate_severity?.text) ?? cvss31?.rating ?? cvss40?.rating ?? ratingOfWord(threat);
  if (rating === undefined) return null;
  return {
    cvss31: cvss31 && { vector: cvss31.vector, score: cvss31.score },
    cvss40: cvss40 && { vector: cvss40.vector, score: cvss40.score },
    rating,
  };
}

/**
 * Another publisher's self link is where its advisory lives (ADVISORY); ours
 * is re-created on export. Vendor-fix URLs are FIX references; URL-shaped
 * ids (Red Hat's Bugzilla links) are references, not aliases.
 */
function references(doc: CsafDocument, ours: boolean): Reference[] {
  const vulns = doc.vulnerabilities ?? [];
  const all: Reference[] = [
    ...[...(doc.document.references ?? []), ...vulns.flatMap((vuln) => vuln.references ?? [])].flatMap((ref): Reference[] => {
      if (ref.category === 'self') return ours ? [] : [{ type: 'ADVISORY', url: ref.url }];
      return [{ type: referenceTypeOfLabel(ref.summary) ?? 'WEB', url: ref.url }];
    }),
    ...vulns.flatMap((vuln) => vuln.remediations ?? []).flatMap((item): Reference[] => (item.category === 'vendor_fix' && item.url !== undefined ? [{ type: 'FIX', url: item.url }] : [])),
    ...vulns.flatMap((vuln) => vuln.ids ?? []).flatMap((id): Reference[] => (URL.canParse(id.text) ? [{ type: 'WEB', url: id.text }] : [])),
  ];
  return all.filter((ref, index) => all.findIndex((other) => other.url === ref.url) === index);
}

/** One credit per name; an organisation is named alongside its people, or credited itself when it is all there is. */
function credits(ack: CsafAcknowledgment): Credit[] {
  const type = creditTypeOfLabel(ack.summary) ?? 'OTHER';
  const contact = ack.urls;
  const names = ack.names ?? [];
  if (names.length === 0) return ack.organization === undefined ? [] : [{ name: ack.organization, type, contact }];
  return names.map((name) => ({ name: ack.organization === undefined ? name : `${name} (${ack.organization})`, type, contact }));
}
