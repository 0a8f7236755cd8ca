import type { Advisory } from '../../domain/advisories/model.ts';
import type { Policy } from '../../domain/policy/schema.ts';
import { formatHumanId, reportIdPrefix } from '../../domain/reports/human-id.ts';
import { EmbargoError, detailsFromZodIssues, isEmbargoError, type ErrorDetail } from '../../errors.ts';
import { renderCsaf } from '../../formats/csaf.ts';
import { renderCve5 } from '../../formats/cve5.ts';
import { renderMarkdownSafely } from '../../formats/markdown-html.ts';
import { renderOsv } from '../../formats/osv.ts';
import { validateCsafDocument } from '../../formats/validate-csaf.ts';
import { validateCve5 } from '../../formats/validate-cve5.ts';
import { validateOsv } from '../../formats/validate-osv.ts';
import { findAdvisory, listLinkedReports } from '../../storage/repositories/advisory.repository.ts';
import type { ServiceContext } from '../context.ts';
import { getProject } from '../project.service.ts';
import { advisoryProjects, assembleAdvisories } from './advisory-view.ts';
import { buildContent } from './content.ts';
import { advisoryContentInput } from './content-schema.ts';
import { reporterCredits, resolveLinkedReports } from './linked-reports.ts';
import { advisoryUrl } from './publication.ts';

export interface PreviewInput {
  /** The editor's content as it stands, unsaved (the full content, not a patch). */
  content: Record<string, unknown>;
  /** The advisory being edited: its id, dates, revisions and linked reports are used. */
  advisoryId?: string | undefined;
  /** For a new draft: the reports it will be linked to (credit consent is checked against them). */
  reportIds?: string[] | undefined;
}

export interface FormatCheck {
  valid: boolean;
  errors: string[];
  warnings: string[];
}

/**
 * A CVE record names its CNA, which is only known at export
 * (`embargo advisory export --format cve5 --assigner-org-id …`). The preview
 * fills in this placeholder so that everything else in the record is checked.
 */
const PREVIEW_ASSIGNER = { assignerOrgId: '00000000-0000-4000-8000-000000000000', assignerShortName: 'preview' };

/**
 * Checks unsaved advisory content the way publication would, and renders it:
 * Embargo's own rules (shapes, CVSS scores, version strings, credit consent),
 * then the OSV, CSAF 2.0 and CVE 5.1 renderings against their validators, and
 * the details as sanitised HTML. Reads only: nothing is stored or audited,
 * since nothing is disclosed that the caller did not just send.
 */
export async function previewAdvisory(ctx: ServiceContext, slug: string, input: PreviewInput) {
  const project = await getProject(ctx, slug);
  const existing = input.advisoryId === undefined ? undefined : await findAdvisory(ctx.db, input.advisoryId);
  if (input.advisoryId !== undefined && existing?.project_id !== project.id) throw new EmbargoError('not_found', `no advisory ${input.advisoryId} in project "${slug}"`);
  const reports = existing ? await listLinkedReports(ctx.db, existing.id) : await resolveLinkedReports(ctx.db, project.id, input.reportIds ?? []);

  const parsed = advisoryContentInput.safeParse(input.content);
  const detailsHtml = renderMarkdownSafely(typeof input.content.details === 'string' ? input.content.details : '');
  if (!parsed.success) return { content: { valid: false, errors: detailsFromZodIssues(parsed.error.issues, ['content']) }, detailsHtml, severity: null, formats: null };
  let content;
  try {
    content = buildContent(parsed.data, reporterCredits(ctx, reports), 'content');
  } catch (error) {
    if (isEmbargoError(error)) return { content: { valid: false, errors: error.details }, detailsHtml, severity: null, formats: null };
    throw error;
  }

  const now = ctx.now();
  const base = existing ? (await assembleAdvisories(ctx.db, ctx, [existing]))[0]! : undefined;
  const { id: _projectId, ...projectFacts } = (await advisoryProjects(ctx.db, ctx.publicUrl, [project.id])).get(project.id)!;
  const id = base?.id ?? formatHumanId(reportIdPrefix(project.policy as Policy), now.getUTCFullYear(), 0);
  // As it would be once public: published now (or when it was), not withdrawn.
  const advisory: Advisory = {
    ...content,
    id,
    project: projectFacts,
    state: 'published',
    created: base?.created ?? now.toISOString(),
    published: base?.published ?? now.toISOString(),
    modified: now.toISOString(),
    revisions: base?.revisions ?? [],
  };
  const year = new Date(advisory.published!).getUTCFullYear();
  const formats = {
    osv: await check(() => ({ errors: validateOsv(renderOsv(advisory)) })),
    csaf: await check(async () => {
      const doc = renderCsaf(advisory, { now, baseUrl: `${tlsUrl(ctx.publicUrl)}/.well-known/csaf/${advisory.tlp.toLowerCase()}/${year}/` });
      const result = await validateCsafDocument(doc);
      return { errors: result.errors, warnings: result.warnings };
    }),
    cve:
      advisory.cveId === undefined
        ? { valid: false, applicable: false, errors: [], warnings: ['No CVE id: there is no CVE record to check. Add one to export a CVE record.'] }
        : { applicable: true, ...(await check(() => ({ errors: validateCve5(renderCve5(advisory, { now, ...PREVIEW_ASSIGNER, advisoryUrl: advisoryUrl(ctx.publicUrl, slug, id) })) }))) },
  };
  return { content: { valid: true, errors: [] as ErrorDetail[] }, detailsHtml, severity: advisory.severity, formats };
}

/** CSAF documents are only ever served over TLS (§7.1.3; the provider answers 404 on a plain-http instance), so a development instance checks them as they will be served behind its TLS proxy. */
function tlsUrl(publicUrl: string): string {
  return publicUrl.replace(/^http:/, 'https:');
}

type Checked = { errors: string[]; warnings?: string[] };

/** Renders and validates one format; a renderer's refusal (e.g. CSAF without an affected package) is that format's error. */
async function check(run: () => Checked | Promise<Checked>): Promise<FormatCheck> {
  try {
    const { errors, warnings = [] } = await run();
    return { valid: errors.length === 0, errors, warnings };
  } catch (error) {
    if (!isEmbargoError(error)) throw error;
    const errors = error.details.length > 0 ? error.details.map((d) => `${d.path}: ${d.message}`) : [error.message];
    return { valid: false, errors, warnings: [] };
  }
}
