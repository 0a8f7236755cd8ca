/**
 * An advisory from an OSV entry (another database's, or one Embargo wrote).
 * The entry is schema-validated first. A foreign id (`GHSA-…`) is kept as an
 * alias so the advisory stays findable by it once the service gives the
 * advisory an id of its own; an `x_` id is ours and loses the prefix.
 */
import { creditTypes, cveIdPattern, referenceTypes } from '../domain/advisories/model.ts';
import type { AffectedPackage, Advisory, Credit, CreditType, Reference, Severity, VersionRange } from '../domain/advisories/model.ts';
import { scoreVector } from '../domain/cvss/score.ts';
import { EmbargoError } from '../errors.ts';
import { ratingOfWord, unique } from './advisory-common.ts';
import { localIdPrefix } from './osv-types.ts';
import type { OsvAffected, OsvEntry, OsvRange, OsvSeverity } from './osv-types.ts';
import { osvSchemaErrors } from './validate-osv.ts';

export function importOsv(json: unknown, project: Advisory['project']): Advisory {
  const problems = osvSchemaErrors(json);
  if (problems.length > 0) throw new EmbargoError('validation_failed', 'The document is not a valid OSV entry', problems);
  // Safe after validation: the schema guarantees the shape OsvEntry describes.
  const entry = json as OsvEntry;
  const ours = entry.id.startsWith(localIdPrefix);
  const id = ours ? entry.id.slice(localIdPrefix.length) : entry.id;
  const ids = unique([...(ours ? [] : [entry.id]), ...(entry.aliases ?? [])]);
  const cveId = ids.find((alias) => cveIdPattern.test(alias));
  const [summary, details] = splitDetails(entry.details ?? '', entry.summary ?? id);
  const withdrawnReason = text(entry.database_specific?.withdrawn_reason);
  return {
    id,
    project,
    title: entry.summary ?? id,
    summary,
    details,
    severity: severityOf(entry),
    cweIds: strings(entry.database_specific?.cwe_ids),
    affected: (entry.affected ?? []).flatMap(affectedPackage),
    references: (entry.references ?? []).map(reference),
    credits: (entry.credits ?? []).map(credit),
    cveId,
    aliases: ids.filter((alias) => alias !== cveId),
    state: entry.withdrawn === undefined ? 'published' : 'withdrawn',
    // Entries without a publication date are still public; the date is left unknown rather than invented.
    created: entry.published ?? entry.modified,
    published: entry.published,
    modified: entry.modified,
    withdrawn: entry.withdrawn === undefined ? undefined : { at: entry.withdrawn, reason: withdrawnReason ?? 'Withdrawn by the source database.' },
    revisions: [],
    // OSV entries are public by nature.
    tlp: 'WHITE',
  };
}

/** renderOsv writes the summary as the first paragraph of the details; other databases' details are all details. */
function splitDetails(details: string, headline: string): [string, string] {
  const [first, ...rest] = details.split(/\n\s*\n/);
  if (first === undefined || first.trim() === '' || /^[#>*\-|`]/.test(first.trim())) return [headline, details];
  return [first.trim(), rest.join('\n\n').trim()];
}

function severityOf(entry: OsvEntry): Severity | null {
  const entries: OsvSeverity[] = [...(entry.severity ?? []), ...(entry.affected ?? []).flatMap((affected) => affected.severity ?? [])];
  const scoreOf = (type: OsvSeverity['type'], prefix: string) => {
    const vector = entries.find((severity) => severity.type === type && severity.score.startsWith(prefix))?.score;
    const scored = vector === undefined ? undefined : scoreVector(vector);
    return scored?.ok ? scored.score : undefined;
  };
  // The model keeps CVSS 3.1 and 4.0 only; a 3.0 vector still informs the rating below through the database's own word.
  const cvss31 = scoreOf('CVSS_V3', 'CVSS:3.1/');
  const cvss40 = scoreOf('CVSS_V4', 'CVSS:4.0/');
  const rating = ratingOfWord(text(entry.database_specific?.severity)) ?? cvss31?.rating ?? cvss40?.rating;
  if (rating === undefined) return null;
  return {
    cvss31: cvss31 && { vector: cvss31.vector, score: cvss31.score },
    cvss40: cvss40 && { vector: cvss40.vector, score: cvss40.score },
    rating,
  };
}

function affectedPackage(affected: OsvAffected): AffectedPackage[] {
  const specific = affected.database_specific ?? {};
  const named = affected.package ?? packageRef(specific.package);
  if (named === undefined) return [];
  const unsupported = strings(specific.unsupported_affected_versions);
  return [{
    ecosystem: named.ecosystem,
    name: named.name,
    purl: named.purl,
    ranges: (affected.ranges ?? []).flatMap(rangesOf),
    versions: (affected.versions ?? []).filter((version) => !unsupported.includes(version)),
    patched: strings(specific.patched_versions),
    unsupportedAffected: unsupported,
  }];
}

/**
 * One OSV range may hold several introduced…fixed intervals; the model keeps
 * one interval a range. Events are paired in the order given (databases write
 * them in version order). `limit` has no place in the model and is dropped.
 */
function rangesOf(range: OsvRange): VersionRange[] {
  const ranges: VersionRange[] = [];
  let open: VersionRange | undefined;
  for (const event of range.events) {
    if ('introduced' in event) {
      if (open !== undefined) ranges.push(open);
      open = { type: range.type, repo: range.repo, introduced: event.introduced };
    } else if (open !== undefined && 'fixed' in event) {
      ranges.push({ ...open, fixed: event.fixed });
      open = undefined;
    } else if (open !== undefined && 'last_affected' in event) {
      ranges.push({ ...open, lastAffected: event.last_affected });
      open = undefined;
    }
  }
  return open === undefined ? ranges : [...ranges, open];
}

function reference(ref: { type: string; url: string }): Reference {
  // OSV's GIT reference type (a repository link) has no model counterpart.
  const type = referenceTypes.find((known) => known === ref.type) ?? 'WEB';
  return { type, url: ref.url };
}

function credit(entry: { name: string; contact?: string[]; type?: string }): Credit {
  const type: CreditType = creditTypes.find((known) => known === entry.type) ?? 'OTHER';
  return { name: entry.name, type, contact: entry.contact };
}

function packageRef(value: unknown): { ecosystem: string; name: string; purl?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const ecosystem = text(record.ecosystem);
  const name = text(record.name);
  return ecosystem === undefined || name === undefined ? undefined : { ecosystem, name, purl: text(record.purl) };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
