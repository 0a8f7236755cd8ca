import { parsePolicyYaml } from '../domain/policy/parse.ts';
import type { Policy } from '../domain/policy/schema.ts';
import { EmbargoError, isEmbargoError } from '../errors.ts';
import { renderSecurityTxt } from '../formats/security-txt.ts';
import { isUniqueViolation } from '../storage/errors.ts';
import { findOrCreateOrganisation, findOrganisation, setDefaultProject } from '../storage/repositories/organisation.repository.ts';
import {
  findProjectById,
  findProjectBySlug,
  insertPolicyRevision,
  insertProject,
  listPolicyRevisions,
  listProjects,
  lockProjectBySlug,
  updateProjectPolicyRevision,
  type ProjectWithPolicy,
} from '../storage/repositories/project.repository.ts';
import { userIdOf, type Principal } from '../domain/access/principal.ts';
import { auditActor } from './audit-actor.ts';
import { appendAudit } from './audit.service.ts';
import { systemMeta, type RequestMeta, type ServiceContext } from './context.ts';
import { DEFAULT_ORGANISATION_NAME } from './setup.service.ts';

export interface ProjectView {
  id: string;
  slug: string;
  name: string;
  policyRevision: number;
  policy: Policy;
  policyYaml: string;
  createdAt: Date;
  updatedAt: Date;
}

function toView(row: ProjectWithPolicy): ProjectView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    policyRevision: row.policy_revision,
    // Stored policies were validated on the way in; re-parsing the YAML keeps one source of truth for its shape.
    policy: row.policy as Policy,
    policyYaml: row.policy_yaml,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Parses a policy and checks that what it publishes can be served now: a
 * policy whose security.txt has already expired, or expires more than a year
 * out, is refused at upload rather than discovered when a researcher looks.
 */
function parsePublishablePolicy(policyYaml: string, now: Date): Policy {
  const policy = parsePolicyYaml(policyYaml);
  try {
    renderSecurityTxt(policy, { now });
  } catch (error) {
    if (isEmbargoError(error) && (error.code === 'security_txt_expired' || error.code === 'invalid_policy')) {
      throw new EmbargoError('invalid_policy', `the policy cannot be published: ${error.message}`, error.details);
    }
    throw error;
  }
  return policy;
}

/** Creates a project from its policy file. The first project becomes the instance's default (its security.txt is served at /.well-known/). */
/** Who changes a policy: a signed-in principal over HTTP, or the operator at the command line. */
export type PolicyAuthor = { principal: Principal; meta: RequestMeta } | { operator: true };

function authorFields(author: PolicyAuthor) {
  return 'operator' in author
    ? { createdBy: null, actor: { type: 'system' as const, label: 'cli' }, meta: systemMeta }
    : { createdBy: userIdOf(author.principal), actor: auditActor(author.principal), meta: author.meta };
}

export async function createProject(ctx: ServiceContext, input: { policyYaml: string; author: PolicyAuthor }): Promise<ProjectView> {
  const policy = parsePublishablePolicy(input.policyYaml, ctx.now());
  const slug = policy.project.slug;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const organisation = await findOrCreateOrganisation(trx, DEFAULT_ORGANISATION_NAME);
      const project = await insertProject(trx, { organisationId: organisation.id, slug, name: policy.project.name });
      const { createdBy, actor, meta } = authorFields(input.author);
      await insertPolicyRevision(trx, { projectId: project.id, revision: 1, policyYaml: input.policyYaml, policy, createdBy });
      await appendAudit(trx, { actor, action: 'project.created', object: { type: 'project', id: project.id }, outcome: 'success', ...meta, details: { slug, revision: 1 }, at: ctx.now() });
      if (organisation.default_project_id === null) await setDefaultProject(trx, organisation.id, project.id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new EmbargoError('conflict', `a project with slug "${slug}" already exists`, [{ path: 'project.slug', message: 'is already taken' }]);
    }
    throw error;
  }
  return getProject(ctx, slug);
}

/** Replaces a project's policy with a new revision; earlier revisions stay for the change log and for clocks measured against them. */
export async function updateProjectPolicy(
  ctx: ServiceContext,
  input: { slug: string; policyYaml: string; author: PolicyAuthor },
): Promise<ProjectView> {
  const policy = parsePublishablePolicy(input.policyYaml, ctx.now());
  if (policy.project.slug !== input.slug) {
    throw new EmbargoError('invalid_policy', 'a policy cannot change its project slug', [
      { path: 'project.slug', message: `must stay "${input.slug}"` },
    ]);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const project = await lockProjectBySlug(trx, input.slug);
    if (!project) throw new EmbargoError('not_found', `no project "${input.slug}"`);
    const revision = project.policy_revision + 1;
    const { createdBy, actor, meta } = authorFields(input.author);
    await insertPolicyRevision(trx, { projectId: project.id, revision, policyYaml: input.policyYaml, policy, createdBy });
    await appendAudit(trx, { actor, action: 'project.policy.updated', object: { type: 'project', id: project.id }, outcome: 'success', ...meta, details: { revision }, at: ctx.now() });
    await updateProjectPolicyRevision(trx, project.id, revision, policy.project.name);
  });
  return getProject(ctx, input.slug);
}

export async function getProject(ctx: Pick<ServiceContext, 'db'>, slug: string): Promise<ProjectView> {
  const row = await findProjectBySlug(ctx.db, slug);
  if (!row) throw new EmbargoError('not_found', `no project "${slug}"`);
  return toView(row);
}

export async function listAllProjects(ctx: Pick<ServiceContext, 'db'>): Promise<Array<{ slug: string; name: string }>> {
  return (await listProjects(ctx.db)).map((p) => ({ slug: p.slug, name: p.name }));
}

export async function getPolicyHistory(ctx: Pick<ServiceContext, 'db'>, slug: string) {
  const project = await getProject(ctx, slug);
  return listPolicyRevisions(ctx.db, project.id);
}

/** The project of /.well-known/security.txt: the organisation's default project. */
export async function getDefaultProject(ctx: Pick<ServiceContext, 'db'>): Promise<ProjectView | undefined> {
  const organisation = await findOrganisation(ctx.db);
  if (!organisation?.default_project_id) return undefined;
  const row = await findProjectById(ctx.db, organisation.default_project_id);
  return row ? toView(row) : undefined;
}
