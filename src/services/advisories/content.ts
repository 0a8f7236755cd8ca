import semver from 'semver';
import { openText, seal } from '../../crypto/envelope.ts';
import type { AffectedPackage, Credit, Severity } from '../../domain/advisories/model.ts';
import { ratingOf, scoreVector } from '../../domain/cvss/score.ts';
import { scanText } from '../../domain/text/nul-characters.ts';
import { EmbargoError, type ErrorDetail } from '../../errors.ts';
import type { AdvisoryContent, AdvisoryRow } from '../../storage/schema-advisories.ts';
import type { ServiceContext } from '../context.ts';
import type { AdvisoryContentPatch, ParsedContentInput } from './content-schema.ts';

const contentAad = (id: string) => ({ table: 'advisory', column: 'content_sealed', rowId: id });

/** Drafts and scheduled advisories are embargoed: their content is sealed, bound to the row. Published content is public and kept in clear. */
export function storedContent(ctx: Pick<ServiceContext, 'keyring'>, id: string, state: AdvisoryRow['state'], content: AdvisoryContent) {
  const unpublished = state === 'draft' || state === 'scheduled';
  return { content_sealed: unpublished ? seal(ctx.keyring, JSON.stringify(content), contentAad(id)) : null, content: unpublished ? null : JSON.stringify(content) };
}

export function readContent(ctx: Pick<ServiceContext, 'keyring'>, row: Pick<AdvisoryRow, 'id' | 'content' | 'content_sealed'>): AdvisoryContent {
  if (row.content !== null) return row.content;
  return JSON.parse(openText(ctx.keyring, row.content_sealed!, contentAad(row.id))) as AdvisoryContent;
}

/** Scores the vectors (never trusting a client's score); the rating comes from CVSS 4.0 when given, else 3.1, else the stated rating. */
export function severityFrom(input: ParsedContentInput['severity'], path: string): Severity | null {
  if (input === null) return null;
  const problems: ErrorDetail[] = [];
  const score = (vector: string | undefined, field: string) => {
    if (vector === undefined) return undefined;
    const scored = scoreVector(vector, `${path}.${field}`);
    if (!scored.ok) problems.push(...scored.problems);
    return scored.ok ? { vector: scored.score.vector, score: scored.score.score } : undefined;
  };
  const cvss31 = score(input.cvss31, 'cvss31');
  const cvss40 = score(input.cvss40, 'cvss40');
  if (problems.length > 0) throw new EmbargoError('validation_failed', 'a CVSS vector is not valid', problems);
  const scored = cvss40 ?? cvss31;
  if (!scored && input.rating === undefined) throw new EmbargoError('validation_failed', 'a severity needs a CVSS vector or a rating', [{ path, message: 'give cvss31, cvss40 or rating' }]);
  return { cvss31, cvss40, rating: scored ? ratingOf(scored.score) : input.rating! };
}

/** OSV range events must be comparable in their range type: SEMVER strings are semantic versions ("0" means "from the beginning"), GIT ranges name a repository and commits. */
export function versionProblems(affected: readonly AffectedPackage[], path: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  affected.forEach((pkg, i) =>
    pkg.ranges.forEach((range, j) => {
      const at = `${path}[${i}].ranges[${j}]`;
      if (range.fixed !== undefined && range.lastAffected !== undefined) problems.push({ path: `${at}.lastAffected`, message: 'a range has fixed or lastAffected, not both' });
      const events = { introduced: range.introduced, fixed: range.fixed, lastAffected: range.lastAffected };
      for (const [event, value] of Object.entries(events)) {
        if (value === undefined) continue;
        if (range.type === 'SEMVER' && !(event === 'introduced' && value === '0') && semver.valid(value) === null) problems.push({ path: `${at}.${event}`, message: 'must be a semantic version such as 1.4.2 (or "0" for introduced)' });
        if (range.type === 'GIT' && !(event === 'introduced' && value === '0') && !/^[0-9a-f]{7,64}$/.test(value)) problems.push({ path: `${at}.${event}`, message: 'must be a commit hash' });
      }
      if (range.type === 'GIT' && range.repo === undefined) problems.push({ path: `${at}.repo`, message: 'a GIT range names its repository' });
    }),
  );
  return problems;
}

/** A linked report's credit preference as the reporter set it (the name only when they chose to be named). */
export interface ReporterCredit {
  humanId: string;
  mode: 'named' | 'anonymous' | 'none';
  name: string | null;
}

/**
 * Consent: when an advisory has linked reports, every REPORTER credit must be
 * the name a reporter of those reports asked to be credited with. A reporter
 * who chose anonymity or no credit left no name, so no REPORTER credit can
 * point at them. Other credit types (remediation, coordination, tools) are the
 * team's own statements.
 */
export function creditProblems(credits: readonly Credit[], reporters: readonly ReporterCredit[], path: string): ErrorDetail[] {
  if (reporters.length === 0) return [];
  const named = new Set(reporters.filter((r) => r.mode === 'named' && r.name !== null).map((r) => r.name));
  return credits.flatMap((credit, i) =>
    credit.type === 'REPORTER' && !named.has(credit.name) ? [{ path: `${path}[${i}].name`, message: 'no linked report\'s reporter asked to be credited under this name' }] : [],
  );
}

/** The default credits: each reporter who asked to be named, as REPORTER; anonymous and no-credit reporters get nothing. */
export function consentedCredits(reporters: readonly ReporterCredit[]): Credit[] {
  const names = [...new Set(reporters.filter((r) => r.mode === 'named' && r.name !== null).map((r) => r.name!))];
  return names.map((name) => ({ name, type: 'REPORTER' }));
}

/** Turns validated input into content, checking what zod cannot: scores, version strings, consent. */
export function buildContent(input: ParsedContentInput, reporters: readonly ReporterCredit[], prefix = 'body'): AdvisoryContent {
  const severity = severityFrom(input.severity, `${prefix}.severity`);
  const content: AdvisoryContent = { ...input, severity, cveId: input.cveId };
  checkContent(content, reporters, prefix);
  return content;
}

export function checkContent(content: AdvisoryContent, reporters: readonly ReporterCredit[], prefix = 'body'): void {
  // Published content is stored in clear as jsonb, which cannot hold NUL: refused here, not at publication.
  const nul = scanText(content, [prefix]).nulPaths.map((path) => ({ path, message: 'contains the NUL character (U+0000)' }));
  const problems = [...versionProblems(content.affected, `${prefix}.affected`), ...creditProblems(content.credits, reporters, `${prefix}.credits`), ...nul];
  if (problems.length > 0) throw new EmbargoError('validation_failed', 'the advisory has invalid fields', problems);
}

/** The content after a patch: absent fields keep their value; `cveId: null` removes it. */
export function patchContent(current: AdvisoryContent, patch: AdvisoryContentPatch, reporters: readonly ReporterCredit[]): AdvisoryContent {
  const { severity, cveId, ...rest } = patch;
  const next: AdvisoryContent = {
    ...current,
    ...rest,
    severity: severity === undefined ? current.severity : severityFrom(severity, 'body.severity'),
    cveId: cveId === undefined ? current.cveId : (cveId ?? undefined),
  };
  checkContent(next, reporters);
  return next;
}
