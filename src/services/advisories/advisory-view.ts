import type { Advisory } from '../../domain/advisories/model.ts';
import type { Policy } from '../../domain/policy/schema.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import { listAdvisoryRevisions } from '../../storage/repositories/advisory.repository.ts';
import type { AdvisoryContent, AdvisoryRow } from '../../storage/schema-advisories.ts';
import type { ServiceContext } from '../context.ts';
import { readContent } from './content.ts';

export type AdvisoryProject = Advisory['project'] & { id: string };

/** The publisher facts of each project (name, homepage from its policy, the organisation as publisher), for a page of advisories in one query. */
export async function advisoryProjects(db: DbOrTrx, publicUrl: string, projectIds: readonly string[]): Promise<Map<string, AdvisoryProject>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('project')
    .innerJoin('organisation', 'organisation.id', 'project.organisation_id')
    .innerJoin('policy_revision', (join) => join.onRef('policy_revision.project_id', '=', 'project.id').onRef('policy_revision.revision', '=', 'project.policy_revision'))
    .select(['project.id', 'project.slug', 'project.name', 'organisation.name as organisation', 'policy_revision.policy'])
    .where('project.id', 'in', [...new Set(projectIds)])
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, slug: row.slug, name: row.name, homepage: (row.policy as Policy).project.homepage, publisherName: row.organisation, publisherNamespace: publicUrl },
    ]),
  );
}

/** Assembles the shared model from the row (state, dates), its content and its revisions. */
export function toAdvisory(row: AdvisoryRow, content: AdvisoryContent, project: AdvisoryProject, revisions: Advisory['revisions']): Advisory {
  const { id: _projectId, ...projectFacts } = project;
  return {
    ...content,
    id: row.advisory_id,
    project: projectFacts,
    state: row.state,
    created: row.created_at.toISOString(),
    published: row.published_at?.toISOString(),
    modified: row.modified_at.toISOString(),
    withdrawn: row.withdrawn_at ? { at: row.withdrawn_at.toISOString(), reason: row.withdrawn_reason ?? '' } : undefined,
    revisions,
  };
}

/** Many rows at once (lists and feeds): one query for projects, one for revisions. */
export async function assembleAdvisories(db: DbOrTrx, ctx: Pick<ServiceContext, 'keyring' | 'publicUrl'>, rows: readonly AdvisoryRow[]): Promise<Advisory[]> {
  const projects = await advisoryProjects(db, ctx.publicUrl, rows.map((r) => r.project_id));
  const revisions = await listAdvisoryRevisions(db, rows.map((r) => r.id));
  return rows.map((row) =>
    toAdvisory(
      row,
      readContent(ctx, row),
      projects.get(row.project_id)!,
      revisions.filter((r) => r.advisory_id === row.id).map((r) => ({ number: r.number, date: r.created_at.toISOString(), summary: r.summary })),
    ),
  );
}
