import { z } from 'zod';

/** Policy files are small; 256 KiB leaves room for long free-form sections and an armored key. */
export const MAX_POLICY_BYTES = 256 * 1024;

export const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'is not a project slug') });

export const policyBody = z
  .object({ policy: z.string().min(1).max(MAX_POLICY_BYTES).describe('The policy document, as YAML text') })
  .strict();

export const projectSummary = z.object({ slug: z.string(), name: z.string() });

export const projectResponse = z.object({
  slug: z.string(),
  name: z.string(),
  policyRevision: z.number().int(),
  policy: z.record(z.string(), z.unknown()).describe('The validated policy, as JSON'),
  markdownHtml: z.record(z.string(), z.string()).describe("The policy's Markdown fields as sanitised HTML, keyed by path (intro, scope.in.0, extra_sections.1.body…)"),
  links: z.object({ securityMd: z.string(), securityTxt: z.string(), policyYaml: z.string() }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const projectListResponse = z.object({ projects: z.array(projectSummary) });

export const revisionListResponse = z.object({
  revisions: z.array(z.object({ revision: z.number().int(), createdAt: z.iso.datetime(), createdBy: z.string().nullable() })),
});
