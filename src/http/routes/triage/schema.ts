import { z } from 'zod';
import { resolutions } from '../../../domain/workflow/transitions.ts';

const reason = z.string().trim().min(1).max(2000);

export const workflowActionBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('acknowledge') }).strict(),
  z.object({ type: z.literal('request_info'), reason }).strict(),
  z.object({ type: z.literal('provide_info') }).strict(),
  z.object({ type: z.literal('accept') }).strict(),
  z.object({ type: z.literal('close'), resolution: z.enum(resolutions), duplicateOf: z.string().min(1).max(100).optional(), reason: reason.optional() }).strict(),
  z.object({ type: z.literal('start_fix') }).strict(),
  z.object({ type: z.literal('mark_fixed') }).strict(),
  z.object({ type: z.literal('disclose') }).strict(),
  z.object({ type: z.literal('reopen'), reason }).strict(),
]);

export const assessmentBody = z
  .object({
    cvss31: z.string().max(300).nullable().optional(),
    cvss40: z.string().max(400).nullable().optional(),
    severityOverride: z.object({ severity: z.enum(['none', 'low', 'medium', 'high', 'critical']), reason }).strict().nullable().optional(),
    cweIds: z.array(z.string().regex(/^CWE-\d{1,5}$/, 'must look like CWE-79')).max(10).optional(),
    assigneeId: z.uuid().nullable().optional(),
    labels: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    affected: z
      .array(
        z
          .object({
            ecosystem: z.string().min(1).max(50),
            package: z.string().min(1).max(200),
            purl: z.string().regex(/^pkg:[a-z][a-z0-9.+-]*\/\S+$/, 'must be a package URL').max(500).optional(),
            ranges: z.array(z.object({ introduced: z.string().min(1).max(100), fixed: z.string().min(1).max(100).optional(), lastAffected: z.string().min(1).max(100).optional() }).strict()).min(1).max(10),
          })
          .strict(),
      )
      .max(20)
      .optional(),
  })
  .strict();

export const moveBody = z.object({ project: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'is not a project slug') }).strict();

const timezone = z.string().max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'is not an IANA timezone');

export const proposalBody = z
  .object({ discloseAt: z.iso.datetime({ offset: true }), timezone, reason: z.string().trim().max(2000).optional() })
  .strict();
export const answerBody = z.object({ decision: z.enum(['accept', 'reject']) }).strict();
export const proposalParams = z.object({ reportId: z.uuid(), proposalId: z.uuid() });
export const portalProposalParams = z.object({ proposalId: z.uuid() });
