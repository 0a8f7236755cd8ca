import { randomUUID } from 'node:crypto';
import type { Advisory } from '../../domain/advisories/model.ts';
import { formatHumanId, reportIdPrefix } from '../../domain/reports/human-id.ts';
import type { Policy } from '../../domain/policy/schema.ts';
import { EmbargoError } from '../../errors.ts';
import { importCsaf, renderCsaf } from '../../formats/csaf.ts';
import { renderCve5 } from '../../formats/cve5.ts';
import { importOsv, renderOsv } from '../../formats/osv.ts';
import { findAdvisory, insertAdvisory, insertAdvisoryRevision, nextAdvisoryNumber } from '../../storage/repositories/advisory.repository.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import type { AdvisoryContent } from '../../storage/schema-advisories.ts';
import { appendAudit } from '../audit.service.ts';
import { systemMeta, type ServiceContext } from '../context.ts';
import { advisoryProjects, assembleAdvisories } from './advisory-view.ts';
import { checkContent, storedContent } from './content.ts';

export type ExportFormat = 'osv' | 'csaf' | 'cve5';

/** CSAF documents say so in `document.csaf_version`; anything else is read as OSV (whose importer validates it). */
async function parseForeign(json: unknown, project: Advisory['project']): Promise<Advisory> {
  const csaf = typeof json === 'object' && json !== null && 'document' in json;
  return csaf ? importCsaf(json, project) : importOsv(json, project);
}

const contentOf = ({ title, summary, details, severity, cweIds, affected, references, credits, cveId, aliases, tlp }: Advisory): AdvisoryContent => ({ title, summary, details, severity, cweIds, affected, references, credits, cveId, aliases, tlp });

/**
 * Imports an OSV or CSAF document into a project: published with its
 * original dates (and withdrawn if it was), or as a sealed draft. An id the
 * importer recognises as Embargo's own keeps it when free; a foreign one
 * (kept among the aliases by the importer) gets the project's next id.
 */
export async function importAdvisory(ctx: ServiceContext, slug: string, json: unknown, options: { draft: boolean; source: string }): Promise<{ id: string; state: Advisory['state'] }> {
  const found = await findProjectBySlug(ctx.db, slug);
  if (!found) throw new EmbargoError('not_found', `no project "${slug}"`);
  const project = (await advisoryProjects(ctx.db, ctx.publicUrl, [found.id])).get(found.id)!;
  const imported = await parseForeign(json, project);
  const content = contentOf(imported);
  checkContent(content, [], 'document');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const published = imported.published ? new Date(imported.published) : now;
    const ownId = !imported.aliases.includes(imported.id) && !(await findAdvisory(trx, imported.id));
    const prefix = reportIdPrefix({ project: (found.policy as Policy).project });
    const advisoryId = ownId ? imported.id : formatHumanId(prefix, published.getUTCFullYear(), await nextAdvisoryNumber(trx, prefix, published.getUTCFullYear()));
    const state = options.draft ? 'draft' : imported.withdrawn ? 'withdrawn' : 'published';
    const id = randomUUID();
    const modified = options.draft ? now : new Date(imported.modified);
    await insertAdvisory(trx, {
      id,
      project_id: found.id,
      advisory_id: advisoryId,
      state,
      ...storedContent(ctx, id, state, content),
      published_at: options.draft ? null : published,
      withdrawn_at: state === 'withdrawn' ? new Date(imported.withdrawn!.at) : null,
      withdrawn_reason: state === 'withdrawn' ? imported.withdrawn!.reason : null,
      revision: options.draft ? 0 : 1,
      created_by: null,
      created_at: now,
      modified_at: modified,
    });
    if (!options.draft) await insertAdvisoryRevision(trx, { advisory_id: id, number: 1, summary: `Imported from ${options.source}`, snapshot: JSON.stringify(content), author_id: null, created_at: modified });
    await appendAudit(trx, { actor: { type: 'system', label: 'cli' }, action: 'advisory.imported', object: { type: 'advisory', id }, outcome: 'success', ...systemMeta, details: { advisoryId, project: slug, state, source: options.source }, at: now });
    return { id: advisoryId, state };
  });
}

/** The CNA that a CVE record names as its assigner (CVE Services' user registry). */
export interface CveAssigner {
  assignerOrgId: string;
  assignerShortName: string;
}

/** One advisory in a standard format, for the operator (any state: the CLI runs with the database's authority). */
export async function exportAdvisory(ctx: ServiceContext, advisoryId: string, format: ExportFormat, assigner?: CveAssigner): Promise<unknown> {
  const row = await findAdvisory(ctx.db, advisoryId);
  if (!row) throw new EmbargoError('not_found', `no advisory ${advisoryId}`);
  const [advisory] = await assembleAdvisories(ctx.db, ctx, [row]);
  if (format === 'osv') return renderOsv(advisory!);
  if (format === 'cve5') {
    if (!assigner) throw new EmbargoError('validation_failed', 'a CVE record names its assigner', [{ path: '--assigner-org-id', message: 'is required for cve5' }]);
    const url = `${ctx.publicUrl}/api/v1/projects/${advisory!.project.slug}/advisories/${advisory!.id}`;
    return renderCve5(advisory!, { now: new Date(advisory!.modified), ...assigner, advisoryUrl: url });
  }
  const year = new Date(advisory!.published ?? advisory!.created).getUTCFullYear();
  return renderCsaf(advisory!, { now: new Date(advisory!.modified), baseUrl: `${ctx.publicUrl}/.well-known/csaf/white/${year}/` });
}
