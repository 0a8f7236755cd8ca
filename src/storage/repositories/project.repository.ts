import type { DbOrTrx } from '../database.ts';
import type { PolicyRevision, Project } from '../schema.ts';

export interface ProjectWithPolicy extends Project {
  policy: unknown;
  policy_yaml: string;
}

export async function insertProject(
  db: DbOrTrx,
  values: { organisationId: string; slug: string; name: string },
): Promise<Project> {
  return db
    .insertInto('project')
    .values({ organisation_id: values.organisationId, slug: values.slug, name: values.name, policy_revision: 1 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertPolicyRevision(
  db: DbOrTrx,
  values: { projectId: string; revision: number; policyYaml: string; policy: unknown; createdBy: string | null },
): Promise<PolicyRevision> {
  return db
    .insertInto('policy_revision')
    .values({
      project_id: values.projectId,
      revision: values.revision,
      policy_yaml: values.policyYaml,
      // jsonb goes in as text: node-postgres would otherwise turn JS arrays into Postgres arrays.
      policy: JSON.stringify(values.policy),
      created_by: values.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateProjectPolicyRevision(db: DbOrTrx, projectId: string, revision: number, name: string): Promise<void> {
  await db
    .updateTable('project')
    .set({ policy_revision: revision, name, updated_at: new Date() })
    .where('id', '=', projectId)
    .execute();
}

function withCurrentPolicy(db: DbOrTrx) {
  return db
    .selectFrom('project')
    .innerJoin('policy_revision', (join) =>
      join.onRef('policy_revision.project_id', '=', 'project.id').onRef('policy_revision.revision', '=', 'project.policy_revision'),
    )
    .selectAll('project')
    .select(['policy_revision.policy', 'policy_revision.policy_yaml']);
}

export async function findProjectBySlug(db: DbOrTrx, slug: string): Promise<ProjectWithPolicy | undefined> {
  return withCurrentPolicy(db).where('project.slug', '=', slug).executeTakeFirst();
}

export async function findProjectById(db: DbOrTrx, id: string): Promise<ProjectWithPolicy | undefined> {
  return withCurrentPolicy(db).where('project.id', '=', id).executeTakeFirst();
}

/** Locks the project row so concurrent policy updates get consecutive revision numbers. */
export async function lockProjectBySlug(db: DbOrTrx, slug: string): Promise<Project | undefined> {
  return db.selectFrom('project').selectAll().where('slug', '=', slug).forUpdate().executeTakeFirst();
}

export async function listProjects(db: DbOrTrx): Promise<Project[]> {
  return db.selectFrom('project').selectAll().orderBy('slug').execute();
}

export async function listPolicyRevisions(db: DbOrTrx, projectId: string): Promise<Array<Pick<PolicyRevision, 'revision' | 'created_at' | 'created_by'>>> {
  return db
    .selectFrom('policy_revision')
    .select(['revision', 'created_at', 'created_by'])
    .where('project_id', '=', projectId)
    .orderBy('revision')
    .execute();
}

/** The policy a report was received under: its clocks are measured against the promises made then. */
export async function findPolicyAtRevision(db: DbOrTrx, projectId: string, revision: number): Promise<unknown> {
  const row = await db.selectFrom('policy_revision').select('policy').where('project_id', '=', projectId).where('revision', '=', revision).executeTakeFirst();
  return row?.policy;
}
