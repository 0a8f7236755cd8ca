/**
 * The advisory as the API speaks it (src/domain/advisories/model.ts,
 * src/services/advisories/content-schema.ts) and the editor's form state. The
 * form keeps text as typed; `toContent` turns it into the API's content shape.
 */
export const referenceTypes = ['ADVISORY', 'ARTICLE', 'DETECTION', 'DISCUSSION', 'REPORT', 'FIX', 'INTRODUCED', 'PACKAGE', 'EVIDENCE', 'WEB'] as const;
export const creditTypes = ['FINDER', 'REPORTER', 'ANALYST', 'COORDINATOR', 'REMEDIATION_DEVELOPER', 'REMEDIATION_REVIEWER', 'REMEDIATION_VERIFIER', 'TOOL', 'SPONSOR', 'OTHER'] as const;
export const rangeTypes = ['SEMVER', 'ECOSYSTEM', 'GIT'] as const;
export const tlpLabels = ['WHITE', 'GREEN', 'AMBER', 'RED'] as const;
export const ratings = ['none', 'low', 'medium', 'high', 'critical'] as const;

export interface Range {
  type: (typeof rangeTypes)[number];
  repo?: string | undefined;
  introduced: string;
  fixed?: string | undefined;
  lastAffected?: string | undefined;
}
export interface Affected {
  ecosystem: string;
  name: string;
  purl?: string | undefined;
  ranges: Range[];
  versions?: string[] | undefined;
  patched?: string[] | undefined;
  unsupportedAffected?: string[] | undefined;
}
export interface Reference {
  type: (typeof referenceTypes)[number];
  url: string;
}
export interface Credit {
  name: string;
  type: (typeof creditTypes)[number];
  contact?: string[] | undefined;
}
export interface Severity {
  cvss31?: { vector: string; score: number } | undefined;
  cvss40?: { vector: string; score: number } | undefined;
  rating: (typeof ratings)[number];
}
export type AdvisoryState = 'draft' | 'scheduled' | 'published' | 'withdrawn';

export interface Advisory {
  id: string;
  project: { slug: string; name: string };
  title: string;
  summary: string;
  details: string;
  severity: Severity | null;
  cweIds: string[];
  affected: Affected[];
  references: Reference[];
  credits: Credit[];
  cveId?: string | undefined;
  aliases: string[];
  state: AdvisoryState;
  created: string;
  published?: string | undefined;
  modified: string;
  withdrawn?: { at: string; reason: string } | undefined;
  revisions: Array<{ number: number; date: string; summary: string }>;
  tlp: (typeof tlpLabels)[number];
}

export interface TeamAdvisory {
  advisory: Advisory;
  scheduledAt: string | null;
  reports: Array<{ id: string; humanId: string; state: string }>;
}

export interface FormatCheck {
  valid: boolean;
  errors: string[];
  warnings: string[];
  applicable?: boolean;
}
export interface PreviewResult {
  content: { valid: boolean; errors: Array<{ path: string; message: string }> };
  detailsHtml: string;
  severity: Severity | null;
  formats: { osv: FormatCheck; csaf: FormatCheck; cve: FormatCheck } | null;
}

export interface FormState {
  title: string;
  summary: string;
  details: string;
  cvss31: string;
  cvss40: string;
  rating: string;
  /** Picked from MITRE's list (shared/CwePicker.tsx), so already in CWE-123 form. */
  cweIds: string[];
  cveId: string;
  aliases: string;
  tlp: Advisory['tlp'];
  affected: Affected[];
  references: Reference[];
  credits: Credit[];
}

export const emptyForm: FormState = {
  title: '',
  summary: '',
  details: '',
  cvss31: '',
  cvss40: '',
  rating: '',
  cweIds: [],
  cveId: '',
  aliases: '',
  tlp: 'WHITE',
  affected: [],
  references: [],
  credits: [],
};

export const emptyPackage = (): Affected => ({ ecosystem: '', name: '', ranges: [{ type: 'SEMVER', introduced: '0', fixed: '' }] });

export function formFromAdvisory(advisory: Advisory): FormState {
  return {
    title: advisory.title,
    summary: advisory.summary,
    details: advisory.details,
    cvss31: advisory.severity?.cvss31?.vector ?? '',
    cvss40: advisory.severity?.cvss40?.vector ?? '',
    rating: advisory.severity && !advisory.severity.cvss31 && !advisory.severity.cvss40 ? advisory.severity.rating : '',
    cweIds: advisory.cweIds,
    cveId: advisory.cveId ?? '',
    aliases: advisory.aliases.join(', '),
    tlp: advisory.tlp,
    affected: advisory.affected,
    references: advisory.references,
    credits: advisory.credits,
  };
}

const list = (text: string) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
const optional = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : text.trim());

/** The content the API takes. `cveId` is left out when empty; an update sends `null` to remove it instead (see `forUpdate`). */
export function toContent(form: FormState): Record<string, unknown> {
  const cvss31 = optional(form.cvss31);
  const cvss40 = optional(form.cvss40);
  const severity = cvss31 || cvss40 ? { ...(cvss31 ? { cvss31 } : {}), ...(cvss40 ? { cvss40 } : {}) } : form.rating ? { rating: form.rating } : null;
  return {
    title: form.title,
    summary: form.summary,
    details: form.details,
    severity,
    cweIds: form.cweIds,
    affected: form.affected.map((pkg) => ({
      ...pkg,
      purl: optional(pkg.purl),
      ranges: pkg.ranges.map((r) => ({ type: r.type, introduced: r.introduced.trim(), ...(optional(r.fixed) ? { fixed: r.fixed!.trim() } : {}), ...(optional(r.lastAffected) ? { lastAffected: r.lastAffected!.trim() } : {}), ...(r.type === 'GIT' && optional(r.repo) ? { repo: r.repo!.trim() } : {}) })),
    })),
    references: form.references.map((r) => ({ type: r.type, url: r.url.trim() })),
    credits: form.credits.map((c) => ({ ...c, name: c.name.trim() })),
    aliases: list(form.aliases),
    tlp: form.tlp,
    ...(optional(form.cveId) ? { cveId: form.cveId.trim() } : {}),
  };
}

export function forUpdate(form: FormState): Record<string, unknown> {
  return { cveId: null, ...toContent(form) };
}

/** An error path as the API reports it (`body.affected[0].name`, `content.title`), without the part naming the request. */
export function fieldPath(path: string): string {
  return path.replace(/^(body|content|advisory)\./, '');
}

/** Messages for a field: its own path, or anything inside it for lists (`cweIds[1]` belongs to `cweIds`). */
export function messagesFor(errors: ReadonlyArray<{ path: string; message: string }>, path: string, options: { exact?: boolean } = {}): string | undefined {
  const found = errors.filter((e) => {
    const p = fieldPath(e.path);
    return p === path || (!options.exact && (p.startsWith(`${path}[`) || p.startsWith(`${path}.`)));
  });
  return found.length > 0 ? found.map((e) => e.message).join('; ') : undefined;
}

export function severityLabel(severity: Severity | null): string {
  if (!severity) return 'No severity';
  const score = severity.cvss40?.score ?? severity.cvss31?.score;
  return `${severity.rating[0]!.toUpperCase()}${severity.rating.slice(1)}${score === undefined ? '' : ` (${score.toFixed(1)})`}`;
}

export function severityBadge(severity: Severity | null): 'bad' | 'warn' | 'neutral' | 'ok' {
  if (!severity) return 'neutral';
  if (severity.rating === 'critical' || severity.rating === 'high') return 'bad';
  if (severity.rating === 'medium') return 'warn';
  return 'neutral';
}

/** Only https links are shown as links in the preview: the content is unsaved input, and the server checks the rest. */
export function safeHref(url: string): string | undefined {
  try {
    return new URL(url).protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
