/** `disclosure`: how and when a fixed (or unfixed) vulnerability becomes public, and who gets credit. */
import { z } from 'zod';
import { durationSchema } from './schema-targets.ts';
import { listOfLines, listOfMarkdown } from './schema-primitives.ts';

export const creditModes = ['credited_with_permission', 'credited_unless_anonymous', 'none'] as const;
export type CreditMode = (typeof creditModes)[number];

const creditSchema = z
  .strictObject({
    /** Opt-in (ask first), opt-out (credit unless the reporter asks for anonymity) or no public credit. */
    default: z.enum(creditModes, { error: `Credit default must be one of ${creditModes.join(', ')}` }),
    /**
     * Whether reports may be submitted anonymously, without a name or contact
     * details. Left out when the policy does not say.
     */
    anonymous_allowed: z.boolean().optional(),
    /** Where credit appears, e.g. "release notes", "security advisories". */
    where: listOfLines.default([]),
  })
  .superRefine((credit, ctx) => {
    if (credit.default === 'none' && credit.where.length > 0) {
      ctx.addIssue({ code: 'custom', message: 'where must be empty when default is none', path: ['where'] });
    }
  });

export type Credit = z.output<typeof creditSchema>;

/**
 * The yes/no questions are optional on purpose: a policy that says nothing
 * about them renders nothing, rather than a promise its authors never made.
 */
export const disclosureSchema = z
  .strictObject({
    /** How long details stay private by default, counted from the report. */
    embargo: durationSchema.optional(),
    /** The longest extension of the default embargo the project will agree to. */
    max_extension: durationSchema.optional(),
    /** The reporter is consulted on the disclosure date. */
    reporter_consulted: z.boolean().optional(),
    /** Details are published only once a fix is available. */
    disclose_after_fix: z.boolean().optional(),
    /** What happens from report to publication, in order (Markdown). */
    steps: listOfMarkdown.default([]),
    /** Where advisories are published, e.g. "GitHub Security Advisories". */
    advisory_channels: listOfLines.default([]),
    credit: creditSchema.optional(),
  })
  .superRefine((disclosure, ctx) => {
    if (disclosure.max_extension !== undefined && disclosure.embargo === undefined) {
      ctx.addIssue({ code: 'custom', message: 'max_extension needs an embargo to extend', path: ['max_extension'] });
    }
  });

export type Disclosure = z.output<typeof disclosureSchema>;
