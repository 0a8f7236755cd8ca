/**
 * The advisory as Embargo keeps it: one model, rendered to every format
 * (OSV, CSAF 2.0, CVE JSON 5.1, Atom, HTML) by the pure renderers in
 * src/formats/. Format-specific rules live in the renderers, not here.
 */

export const advisoryStates = ['draft', 'scheduled', 'published', 'withdrawn'] as const;
export type AdvisoryState = (typeof advisoryStates)[number];

export const creditTypes = ['FINDER', 'REPORTER', 'ANALYST', 'COORDINATOR', 'REMEDIATION_DEVELOPER', 'REMEDIATION_REVIEWER', 'REMEDIATION_VERIFIER', 'TOOL', 'SPONSOR', 'OTHER'] as const;
export type CreditType = (typeof creditTypes)[number];

export const referenceTypes = ['ADVISORY', 'ARTICLE', 'DETECTION', 'DISCUSSION', 'REPORT', 'FIX', 'INTRODUCED', 'PACKAGE', 'EVIDENCE', 'WEB'] as const;
export type ReferenceType = (typeof referenceTypes)[number];

/** OSV range types: SEMVER and ECOSYSTEM compare versions, GIT compares commits. */
export type RangeType = 'SEMVER' | 'ECOSYSTEM' | 'GIT';

/** One range as events, in order: `introduced` first, then `fixed` or `last_affected` (never both), or `limit` (GIT). */
export interface VersionRange {
  type: RangeType;
  /** Repository URL, for GIT ranges. */
  repo?: string | undefined;
  introduced: string;
  fixed?: string | undefined;
  lastAffected?: string | undefined;
}

export interface AffectedPackage {
  /** OSV ecosystem name (npm, PyPI, Go, Maven, crates.io…); free text for software outside public ecosystems. */
  ecosystem: string;
  name: string;
  purl?: string | undefined;
  ranges: VersionRange[];
  /** Explicitly listed affected versions (OSV `versions`). */
  versions?: string[] | undefined;
  /** Versions with the fix. */
  patched?: string[] | undefined;
  /** Affected versions that will not be fixed because they are unsupported. */
  unsupportedAffected?: string[] | undefined;
}

export interface Credit {
  name: string;
  type: CreditType;
  /** Contact URLs the person chose to publish (https or mailto). */
  contact?: string[] | undefined;
}

export interface Reference {
  type: ReferenceType;
  url: string;
}

export interface Severity {
  cvss31?: { vector: string; score: number } | undefined;
  cvss40?: { vector: string; score: number } | undefined;
  rating: 'none' | 'low' | 'medium' | 'high' | 'critical';
}

export interface AdvisoryRevision {
  number: number;
  date: string;
  summary: string;
}

export interface Advisory {
  /** e.g. PAYQI-2026-0003 (project prefix + year + sequence). */
  id: string;
  project: { slug: string; name: string; homepage?: string | undefined; publisherName: string; publisherNamespace: string };
  title: string;
  summary: string;
  /** Markdown. Sanitised when rendered as HTML. */
  details: string;
  severity: Severity | null;
  cweIds: string[];
  affected: AffectedPackage[];
  references: Reference[];
  credits: Credit[];
  cveId?: string | undefined;
  aliases: string[];
  state: AdvisoryState;
  /** RFC 3339 instants. `published` is set once it is public. */
  created: string;
  published?: string | undefined;
  modified: string;
  withdrawn?: { at: string; reason: string } | undefined;
  revisions: AdvisoryRevision[];
  /** Traffic Light Protocol label for CSAF distribution; only WHITE/CLEAR and GREEN are served publicly. */
  tlp: 'WHITE' | 'GREEN' | 'AMBER' | 'RED';
}

export const cveIdPattern = /^CVE-\d{4}-\d{4,19}$/;
