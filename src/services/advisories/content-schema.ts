import { z } from 'zod';
import { creditTypes, cveIdPattern, referenceTypes } from '../../domain/advisories/model.ts';
import { httpsUrlSchema } from '../../domain/policy/schema-primitives.ts';

/**
 * The advisory content a client sends (routes) or an import yields: the
 * model's content fields, with CVSS given as vectors (scores are computed,
 * never trusted from the client). Shapes only; the cross-field rules (version
 * strings, credit consent) are in content.ts.
 */
const line = (max: number) => z.string().trim().min(1).max(max).refine((text) => !/[\r\n]/.test(text), 'must be a single line');
const version = z.string().trim().min(1).max(100);
/**
 * OSV, CSAF and CVE JSON 5 all type reference URLs as RFC 3986 URIs, whose
 * grammar has no spaces, quotes or angle brackets: refused here, where the
 * author can fix them, rather than at publish time.
 */
const referenceUrl = httpsUrlSchema.refine((text) => /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/.test(text), 'must be a URI (RFC 3986): percent-encode spaces and characters such as < > " { }');
const contactUrl = z.string().max(500).refine((text) => URL.canParse(text) && ['https:', 'mailto:'].includes(new URL(text).protocol), 'must be an https: or mailto: URL');

const rangeSchema = z
  .object({ type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']), repo: httpsUrlSchema.optional(), introduced: version, fixed: version.optional(), lastAffected: version.optional() })
  .strict();

const affectedSchema = z
  .object({
    ecosystem: line(50),
    name: line(200),
    purl: z.string().regex(/^pkg:[a-z][a-z0-9.+-]*\/\S+$/, 'must be a package URL').max(500).optional(),
    ranges: z.array(rangeSchema).max(20).default([]),
    versions: z.array(version).max(500).optional(),
    patched: z.array(version).max(100).optional(),
    unsupportedAffected: z.array(version).max(500).optional(),
  })
  .strict();

export const severityInputSchema = z
  .object({
    cvss31: z.string().max(300).optional(),
    cvss40: z.string().max(400).optional(),
    /** Only without a vector: a rating the team states. With a vector, the score decides. */
    rating: z.enum(['none', 'low', 'medium', 'high', 'critical']).optional(),
  })
  .strict();

const fields = {
  title: line(300),
  summary: line(1000),
  details: z.string().trim().max(100_000),
  severity: severityInputSchema.nullable(),
  cweIds: z.array(z.string().regex(/^CWE-\d{1,5}$/, 'must look like CWE-79')).max(20),
  affected: z.array(affectedSchema).max(50),
  references: z.array(z.object({ type: z.enum(referenceTypes), url: referenceUrl }).strict()).max(100),
  credits: z.array(z.object({ name: line(200), type: z.enum(creditTypes), contact: z.array(contactUrl).max(5).optional() }).strict()).max(50),
  cveId: z.string().regex(cveIdPattern, 'must look like CVE-2026-12345'),
  aliases: z.array(line(100)).max(20),
  tlp: z.enum(['WHITE', 'GREEN', 'AMBER', 'RED']),
};

export const advisoryContentInput = z
  .object({
    ...fields,
    details: fields.details.default(''),
    severity: fields.severity.default(null),
    cweIds: fields.cweIds.default([]),
    affected: fields.affected.default([]),
    references: fields.references.default([]),
    credits: fields.credits.default([]),
    cveId: fields.cveId.optional(),
    aliases: fields.aliases.default([]),
    tlp: fields.tlp.default('WHITE'),
  })
  .strict();

export type AdvisoryContentInput = z.input<typeof advisoryContentInput>;
export type ParsedContentInput = z.output<typeof advisoryContentInput>;

/** An update names only what changes (no defaults: an absent field keeps its value); `cveId: null` removes the CVE id. */
export const advisoryContentPatch = z.object({ ...fields, cveId: fields.cveId.nullable() }).partial().strict();
export type AdvisoryContentPatch = z.output<typeof advisoryContentPatch>;
