import type { DbOrTrx } from '../database.ts';
import type { ProjectRole } from '../schema-accounts.ts';

export async function findProjectRole(db: DbOrTrx, projectId: string, userId: string): Promise<ProjectRole | null> {
  const row = await db.selectFrom('project_member').select('role').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return row?.role ?? null;
}

export async function upsertProjectMember(db: DbOrTrx, projectId: string, userId: string, role: ProjectRole): Promise<void> {
  await db
    .insertInto('project_member')
    .values({ project_id: projectId, user_id: userId, role })
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

export async function deleteProjectMember(db: DbOrTrx, projectId: string, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('project_member').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listProjectMembers(db: DbOrTrx, projectId: string) {
  return db
    .selectFrom('project_member')
    .innerJoin('app_user', 'app_user.id', 'project_member.user_id')
    .select(['app_user.id as userId', 'app_user.email', 'app_user.display_name as displayName', 'project_member.role'])
    .where('project_member.project_id', '=', projectId)
    .orderBy('app_user.email')
    .execute();
}

/** Addresses of a project's active admins; when it has none, of the organisation's owners and admins, so a notice always reaches someone who can act. */
export async function listProjectAdminEmails(db: DbOrTrx, projectId: string): Promise<string[]> {
  const admins = await db
    .selectFrom('project_member')
    .innerJoin('app_user', 'app_user.id', 'project_member.user_id')
    .select('app_user.email')
    .where('project_member.project_id', '=', projectId)
    .where('project_member.role', '=', 'project_admin')
    .where('app_user.disabled_at', 'is', null)
    .orderBy('app_user.email')
    .execute();
  if (admins.length > 0) return admins.map((row) => row.email);
  const organisationAdmins = await db
    .selectFrom('app_user')
    .innerJoin('project', 'project.organisation_id', 'app_user.organisation_id')
    .select('app_user.email')
    .where('project.id', '=', projectId)
    .where('app_user.role', 'in', ['owner', 'admin'])
    .where('app_user.disabled_at', 'is', null)
    .orderBy('app_user.email')
    .execute();
  return organisationAdmins.map((row) => row.email);
}
