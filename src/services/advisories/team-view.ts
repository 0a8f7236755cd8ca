import type { Advisory } from '../../domain/advisories/model.ts';
import { EmbargoError } from '../../errors.ts';
import { listLinkedReports, listUnpublishedAdvisories } from '../../storage/repositories/advisory.repository.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import type { AdvisoryRow } from '../../storage/schema-advisories.ts';
import type { ServiceContext } from '../context.ts';
import { assembleAdvisories } from './advisory-view.ts';

export interface TeamAdvisory {
  advisory: Advisory;
  scheduledAt: string | null;
  /** The related reports: private, so only ever in the team's view. */
  reports: Array<{ id: string; humanId: string; state: string }>;
}

export async function teamAdvisory(ctx: ServiceContext, row: AdvisoryRow): Promise<TeamAdvisory> {
  const [advisory] = await assembleAdvisories(ctx.db, ctx, [row]);
  const reports = await listLinkedReports(ctx.db, row.id);
  return { advisory: advisory!, scheduledAt: row.scheduled_at?.toISOString() ?? null, reports: reports.map((r) => ({ id: r.id, humanId: r.human_id, state: r.state })) };
}

/** Drafts and scheduled advisories of a project, for its team (published ones are in the public list). */
export async function listUnpublished(ctx: ServiceContext, slug: string) {
  const project = await findProjectBySlug(ctx.db, slug);
  if (!project) throw new EmbargoError('not_found', `no project "${slug}"`);
  const rows = await listUnpublishedAdvisories(ctx.db, project.id);
  const advisories = await assembleAdvisories(ctx.db, ctx, rows);
  return advisories.map((advisory, i) => ({ advisory, scheduledAt: rows[i]!.scheduled_at?.toISOString() ?? null }));
}
