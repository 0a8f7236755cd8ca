import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { formatHumanId, reportIdPrefix } from '../../domain/reports/human-id.ts';
import { EmbargoError, detailsFromZodIssues } from '../../errors.ts';
import { findAdvisory, insertAdvisory, insertAdvisoryRevision, linkAdvisoryReports, listLinkedReports, lockAdvisory, nextAdvisoryNumber, updateAdvisory } from '../../storage/repositories/advisory.repository.ts';
import { findProjectById, findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import type { AdvisoryRow } from '../../storage/schema-advisories.ts';
import type { Database } from '../../storage/schema.ts';
import type { Policy } from '../../domain/policy/schema.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { actorUserId, advisoryAuditActor, type AdvisoryActor } from './actor.ts';
import { buildContent, consentedCredits, patchContent, readContent, storedContent } from './content.ts';
import { advisoryContentInput, type AdvisoryContentPatch } from './content-schema.ts';
import { prefillFromReports, reporterCredits, resolveLinkedReports } from './linked-reports.ts';
import { advisoryUrl } from './publication.ts';
import { teamAdvisory } from './team-view.ts';

/** A published advisory got a new revision: `{ advisoryId, projectId, revision, url }`. */
export const ADVISORY_UPDATED_TOPIC = 'advisory.updated';

export interface CreateAdvisoryInput extends AdvisoryContentPatch {
  /** Reports of the project (uuid or human id) the advisory is about; their assessment prefills what the input leaves out. */
  reportIds?: string[] | undefined;
}

/** Loads an advisory for a change, locked, or refuses as not found. */
export async function lockedAdvisory(trx: Transaction<Database>, advisoryId: string): Promise<AdvisoryRow> {
  const row = await lockAdvisory(trx, advisoryId);
  if (!row) throw new EmbargoError('not_found', `no advisory ${advisoryId}`);
  return row;
}

/**
 * A new draft, from scratch or from accepted reports of the project. The id
 * (PREFIX-YEAR-NNNN, the project's report id prefix) is allocated in the same
 * transaction. Credits default to what the reporters consented to.
 */
export async function createAdvisory(ctx: ServiceContext, actor: AdvisoryActor, slug: string, input: CreateAdvisoryInput, meta: RequestMeta) {
  const advisoryId = await ctx.db.transaction().execute(async (trx) => {
    const project = await findProjectBySlug(trx, slug);
    if (!project) throw new EmbargoError('not_found', `no project "${slug}"`);
    const { reportIds = [], ...patch } = input;
    const reports = await resolveLinkedReports(trx, project.id, reportIds);
    const reporters = reporterCredits(ctx, reports);
    const merged = { credits: consentedCredits(reporters), ...prefillFromReports(ctx, reports), ...patch };
    const parsed = advisoryContentInput.safeParse({ ...merged, cveId: merged.cveId ?? undefined });
    if (!parsed.success) throw new EmbargoError('validation_failed', 'an advisory needs a title and a summary', detailsFromZodIssues(parsed.error.issues, ['body']));
    const content = buildContent(parsed.data, reporters);
    const now = ctx.now();
    const year = now.getUTCFullYear();
    const prefix = reportIdPrefix({ project: (project.policy as Policy).project });
    const id = randomUUID();
    const publicId = formatHumanId(prefix, year, await nextAdvisoryNumber(trx, prefix, year));
    await insertAdvisory(trx, { id, project_id: project.id, advisory_id: publicId, state: 'draft', ...storedContent(ctx, id, 'draft', content), created_by: actorUserId(actor), created_at: now, modified_at: now });
    await linkAdvisoryReports(trx, id, reports.map((r) => r.id));
    await appendAudit(trx, { actor: advisoryAuditActor(actor), action: 'advisory.created', object: { type: 'advisory', id }, outcome: 'success', ...meta, details: { advisoryId: publicId, project: slug, reports: reports.map((r) => r.human_id) }, at: now });
    return publicId;
  });
  return readTeamAdvisory(ctx, advisoryId);
}

/**
 * Edits an advisory. Drafts and scheduled ones change freely (still sealed).
 * A published one gets a new numbered revision whose summary says what
 * changed, with a snapshot of the content, and a new modified date. A
 * withdrawn advisory is final.
 */
export async function updateAdvisoryContent(ctx: ServiceContext, actor: AdvisoryActor, advisoryId: string, patch: AdvisoryContentPatch, revisionSummary: string | undefined, meta: RequestMeta) {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockedAdvisory(trx, advisoryId);
    if (row.state === 'withdrawn') throw new EmbargoError('illegal_transition', 'a withdrawn advisory cannot change');
    const published = row.state === 'published';
    if (published && !revisionSummary) throw new EmbargoError('validation_failed', 'a change to a published advisory needs a revision summary', [{ path: 'body.revisionSummary', message: 'say what changed' }]);
    const reporters = reporterCredits(ctx, await listLinkedReports(trx, row.id));
    const content = patchContent(readContent(ctx, row), patch, reporters);
    const now = ctx.now();
    const revision = published ? row.revision + 1 : row.revision;
    await updateAdvisory(trx, row.id, { ...storedContent(ctx, row.id, row.state, content), revision, modified_at: now });
    if (published) {
      await insertAdvisoryRevision(trx, { advisory_id: row.id, number: revision, summary: revisionSummary!, snapshot: JSON.stringify(content), author_id: actorUserId(actor), created_at: now });
      const project = (await findProjectById(trx, row.project_id))!;
      await enqueueEvent(trx, ctx, ADVISORY_UPDATED_TOPIC, { advisoryId, projectId: row.project_id, revision, url: advisoryUrl(ctx.publicUrl, project.slug, advisoryId) });
    }
    await appendAudit(trx, { actor: advisoryAuditActor(actor), action: 'advisory.updated', object: { type: 'advisory', id: row.id }, outcome: 'success', ...meta, details: { advisoryId, state: row.state, revision, fields: Object.keys(patch) }, at: now });
  });
  return readTeamAdvisory(ctx, advisoryId);
}

/** The team's view of one advisory in any state, with its linked reports. Reading a sealed draft is audited, as reading a report is. */
export async function readTeamAdvisory(ctx: ServiceContext, advisoryId: string, audit?: { actor: AdvisoryActor; meta: RequestMeta }) {
  const row = await findAdvisory(ctx.db, advisoryId);
  if (!row) throw new EmbargoError('not_found', `no advisory ${advisoryId}`);
  if (audit && row.content_sealed !== null) {
    await appendAudit(ctx.db, { actor: advisoryAuditActor(audit.actor), action: 'advisory.read', object: { type: 'advisory', id: row.id }, outcome: 'success', ...audit.meta, details: { advisoryId }, at: ctx.now() });
  }
  return teamAdvisory(ctx, row);
}
