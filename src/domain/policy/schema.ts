/**
 * The security policy format, version 1. Reference: docs/POLICY.md.
 *
 * Every object is strict so that a misspelt key is an error instead of a
 * silently ignored promise. Optional sections are left undefined rather than
 * filled with invented defaults: renderers say nothing the policy does not say.
 */
import { z } from 'zod';
import {
  calendarDateSchema,
  dateOrMonthSchema,
  httpsUrlSchema,
  instantSchema,
  languageTagSchema,
  lineSchema,
  listOfMarkdown,
  markdownSchema,
  uniqueBy,
  versionRangeSchema,
} from './schema-primitives.ts';
import { contactsSchema, encryptionSchema } from './schema-contacts.ts';
import { responseTargetsSchema } from './schema-targets.ts';
import { disclosureSchema } from './schema-disclosure.ts';
import { reportFormSchema } from './schema-report-form.ts';
import { escalationSchema } from './schema-escalation.ts';

export type { AsapTarget, Duration, DurationTarget, NextReleaseTarget, RangeTarget, ResponseTarget, Severity } from './targets.ts';
export type { FixTargets, ResponseTargets, Weekday } from './schema-targets.ts';
export type { Contact, Encryption } from './schema-contacts.ts';
export type { Credit, CreditMode, Disclosure } from './schema-disclosure.ts';
export type { ExtraQuestion, FieldPresence, ReportFieldName, ReportForm } from './schema-report-form.ts';

export const policyFormatVersion = 1;

const packageSchema = z.strictObject({
  /** OSV ecosystem name, e.g. npm, PyPI, Go, crates.io, Maven. */
  ecosystem: lineSchema,
  name: lineSchema,
  purl: z.string().regex(/^pkg:[a-z][a-z0-9.+-]*\/\S+$/, 'Must be a package URL such as pkg:npm/left-pad').optional(),
});

const projectSchema = z.strictObject({
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Must be 2–63 lowercase letters, digits or hyphens, starting with a letter or digit'),
  name: lineSchema,
  description: markdownSchema.optional(),
  homepage: httpsUrlSchema.optional(),
  repository: httpsUrlSchema.optional(),
  packages: z.array(packageSchema).default([]),
  /** Prefix of report ids such as PAYQI-2026-0001; derived from the slug when absent. */
  report_id_prefix: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{1,11}$/, 'Must be 2–12 uppercase letters or digits, starting with a letter')
    .optional(),
});

const supportedVersionsSchema = z.strictObject({
  intro: markdownSchema.optional(),
  /** Read top to bottom; the first row whose range matches a version decides. */
  rows: z
    .array(
      z.strictObject({
        range: versionRangeSchema,
        /** Shown in the table, e.g. "1.x.x" or "< 1.0". */
        label: lineSchema,
        supported: z.boolean({ error: 'supported must be true or false' }),
      }),
    )
    .min(1, 'List at least one version range'),
  note: markdownSchema.optional(),
});

const securityTxtSchema = z.strictObject({
  /** Required by RFC 9116; renderers refuse a date in the past or more than a year ahead. */
  expires: instantSchema,
  /** Every URL the file is served from (RFC 9116 allows several). */
  canonical: z.array(httpsUrlSchema).superRefine(uniqueBy((url) => url, 'canonical URL')).default([]),
  policy: httpsUrlSchema.optional(),
  hiring: httpsUrlSchema.optional(),
  acknowledgments: httpsUrlSchema.optional(),
});

const acknowledgementsSchema = z
  .strictObject({
    statement: markdownSchema.optional(),
    entries: z
      .array(z.strictObject({ name: lineSchema, url: httpsUrlSchema.optional(), date: calendarDateSchema.optional(), note: lineSchema.optional() }))
      .default([]),
  })
  .refine((acks) => acks.statement !== undefined || acks.entries.length > 0, 'Give a statement or at least one entry');

const securityFeaturesSchema = z.strictObject({
  intro: markdownSchema.optional(),
  groups: z.array(z.strictObject({ heading: lineSchema.optional(), items: listOfMarkdown.min(1, 'List at least one item') })).min(1),
});

export const policySchema = z.strictObject({
  version: z.literal(policyFormatVersion, { error: `version must be ${policyFormatVersion}, the policy format this Embargo reads` }),
  project: projectSchema,
  /** Opening paragraph of SECURITY.md. */
  intro: markdownSchema.optional(),
  contacts: contactsSchema,
  encryption: encryptionSchema.optional(),
  supported_versions: supportedVersionsSchema,
  /** What a reporter can expect after reporting, in order, besides the timed targets. */
  response_process: listOfMarkdown.default([]),
  response_targets: responseTargetsSchema,
  disclosure: disclosureSchema.prefault({}),
  /** Reminders before a deadline and escalation after a breach (defaults: assignee, then project admins after a day, owners after three). */
  escalation: escalationSchema.prefault({}),
  /** Publish aggregate response statistics (times to acknowledge and fix, promises kept) at /p/{slug}/response-statistics.json. */
  public_statistics: z.boolean().default(false),
  report_form: reportFormSchema.prefault({}),
  scope: z.strictObject({ in: listOfMarkdown.default([]), out: listOfMarkdown.default([]) }).prefault({}),
  bug_bounty: z.strictObject({ offered: z.boolean(), statement: markdownSchema.optional(), url: httpsUrlSchema.optional() }).optional(),
  preferred_languages: z.array(languageTagSchema).min(1).superRefine(uniqueBy((tag) => tag, 'language')).optional(),
  security_txt: securityTxtSchema,
  acknowledgements: acknowledgementsSchema.optional(),
  security_features: securityFeaturesSchema.optional(),
  /** Free-form sections for what the structured fields do not hold: best practices, compliance, tools. */
  extra_sections: z
    .array(z.strictObject({ title: lineSchema, body: markdownSchema }))
    .superRefine(uniqueBy((section) => section.title.toLowerCase(), 'section title', ['title']))
    .default([]),
  change_log: z.array(z.strictObject({ date: calendarDateSchema, description: lineSchema })).default([]),
  last_updated: dateOrMonthSchema.optional(),
  next_review: dateOrMonthSchema.optional(),
  /** Closing line(s) of SECURITY.md. */
  footer: markdownSchema.optional(),
});

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
