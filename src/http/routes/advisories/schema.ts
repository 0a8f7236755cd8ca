import { z } from 'zod';
import { advisoryContentPatch } from '../../../services/advisories/content-schema.ts';
import { slugParams } from '../projects/schema.ts';

/** Embargo ids (PAYQI-2026-0003) and imported ones (GHSA-…, CVE-…, PYSEC-…). */
export const advisoryIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{1,99}$/, 'is not an advisory id');

export const advisoryParams = z.object({ advisoryId: advisoryIdSchema });
export const projectAdvisoryParams = slugParams.extend({ advisoryId: advisoryIdSchema });

export const createAdvisoryBody = advisoryContentPatch.extend({
  /** Accepted reports of the project (uuid or human id); their assessment and consented credits prefill the draft. */
  reportIds: z.array(z.string().min(1).max(100)).max(20).optional(),
});

export const updateAdvisoryBody = advisoryContentPatch.extend({
  /** Required once the advisory is published: each change is a numbered revision that says what changed. */
  revisionSummary: z.string().trim().min(1).max(1000).optional(),
});

/** Without `at`, the earliest agreed disclosure date of the linked reports. */
export const scheduleBody = z.object({ at: z.iso.datetime({ offset: true }).optional() }).strict().nullish();
export const withdrawBody = z.object({ reason: z.string().trim().min(1).max(2000) }).strict();

/** Unsaved editor content to check and render; the content is parsed by the service so that its problems come back as results, not as a refused request. */
export const previewBody = z
  .object({
    content: z.record(z.string(), z.unknown()),
    advisoryId: advisoryIdSchema.optional(),
    reportIds: z.array(z.string().min(1).max(100)).max(20).optional(),
  })
  .strict();
