import { z } from 'zod';

/** Generous but bounded: a long write-up with logs pasted in fits; a denial of service does not. */
export const MAX_TEXT = 50_000;
export const INTAKE_BODY_LIMIT = 512 * 1024;

const text = z.string().max(MAX_TEXT);
const armoredKey = z.string().max(64 * 1024).regex(/-----BEGIN PGP PUBLIC KEY BLOCK-----/, 'must be an ASCII-armoured OpenPGP public key');

export const submissionBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: text.min(1),
    steps_to_reproduce: text.optional(),
    impact: text.optional(),
    suggested_fix: text.optional(),
    affected_versions: z
      .object({
        text: z.string().max(2000).optional(),
        versions: z
          .array(z.object({ ecosystem: z.string().max(50).optional(), package: z.string().max(200).optional(), version: z.string().min(1).max(100) }).strict())
          .max(20)
          .optional(),
      })
      .strict()
      .optional(),
    contact: z
      .object({ email: z.email().max(254).optional(), uri: z.url({ protocol: /^(https|mailto|xmpp|matrix|signal|tel)$/ }).max(500).optional() })
      .strict()
      .optional(),
    reporter_public_key: armoredKey.optional(),
    credit: z.object({ mode: z.enum(['named', 'anonymous', 'none']), name: z.string().trim().max(200).optional() }).strict().optional(),
    answers: z.record(z.string().max(40), z.string().max(5000)).optional(),
  })
  .strict();

export const intakeParams = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'is not a project slug') });
export const intakeHeaders = z.object({
  'idempotency-key': z.string().min(8).max(200).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
});

export const receiptResponse = z.object({
  id: z.uuid(),
  humanId: z.string(),
  status: z.literal('received'),
  versionStatus: z.enum(['supported', 'unsupported', 'unknown']),
  receivedAt: z.iso.datetime(),
  followUpToken: z.string().describe('Shown once. Keep it: it is the only way back to this report.'),
  followUpUrl: z.string(),
});

export const messageBody = z.object({ body: z.string().trim().min(1).max(MAX_TEXT) }).strict();
export const teamMessageBody = z.object({ body: z.string().trim().min(1).max(MAX_TEXT), visibility: z.enum(['reporter', 'internal']).default('reporter') }).strict();
export const creditBody = z.object({ mode: z.enum(['named', 'anonymous', 'none']), name: z.string().trim().max(200).optional() }).strict();
export const reportParams = z.object({ reportId: z.uuid() });
export const listQuery = z
  .object({ includeSpam: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'), limit: z.coerce.number().int().min(1).max(200).default(50), before: z.iso.datetime().optional() })
  .strict();
