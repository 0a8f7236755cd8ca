import type { ApiTokenPrincipal, UserPrincipal } from '../domain/access/principal.ts';
import { EmbargoError } from '../errors.ts';
import type { ProjectRole } from '../storage/schema-accounts.ts';
import { deleteProjectMember, listProjectMembers, upsertProjectMember } from '../storage/repositories/project-member.repository.ts';
import { findProjectBySlug } from '../storage/repositories/project.repository.ts';
import { findUserById } from '../storage/repositories/user.repository.ts';
import { auditActor } from './audit-actor.ts';
import { appendAudit } from './audit.service.ts';
import type { RequestMeta, ServiceContext } from './context.ts';

type Actor = UserPrincipal | ApiTokenPrincipal;

async function projectIdOf(ctx: Pick<ServiceContext, 'db'>, slug: string): Promise<string> {
  const project = await findProjectBySlug(ctx.db, slug);
  if (!project) throw new EmbargoError('not_found', `no project "${slug}"`);
  return project.id;
}

export async function listMembers(ctx: ServiceContext, slug: string) {
  return listProjectMembers(ctx.db, await projectIdOf(ctx, slug));
}

export async function setMember(ctx: ServiceContext, actor: Actor, slug: string, userId: string, role: ProjectRole, meta: RequestMeta): Promise<void> {
  const projectId = await projectIdOf(ctx, slug);
  await ctx.db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, userId);
    if (!user || user.organisation_id !== actor.organisationId) throw new EmbargoError('not_found', 'no such user', [{ path: 'params.userId', message: 'does not exist' }]);
    await upsertProjectMember(trx, projectId, userId, role);
    await appendAudit(trx, { actor: auditActor(actor), action: 'project.member.set', object: { type: 'project', id: projectId }, outcome: 'success', ...meta, details: { userId, role }, at: ctx.now() });
  });
}

export async function removeMember(ctx: ServiceContext, actor: Actor, slug: string, userId: string, meta: RequestMeta): Promise<void> {
  const projectId = await projectIdOf(ctx, slug);
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteProjectMember(trx, projectId, userId))) throw new EmbargoError('not_found', 'this user is not a member of the project');
    await appendAudit(trx, { actor: auditActor(actor), action: 'project.member.removed', object: { type: 'project', id: projectId }, outcome: 'success', ...meta, details: { userId }, at: ctx.now() });
  });
}
