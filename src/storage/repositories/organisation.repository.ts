import type { DbOrTrx } from '../database.ts';
import type { Organisation } from '../schema.ts';

export async function findOrganisation(db: DbOrTrx): Promise<Organisation | undefined> {
  return db.selectFrom('organisation').selectAll().executeTakeFirst();
}

/** Returns the instance's organisation, creating it on first use (the singleton index makes a concurrent creation fail rather than duplicate). */
export async function findOrCreateOrganisation(db: DbOrTrx, defaultName: string): Promise<Organisation> {
  const existing = await findOrganisation(db);
  if (existing) return existing;
  return db.insertInto('organisation').values({ name: defaultName }).returningAll().executeTakeFirstOrThrow();
}

export async function renameOrganisation(db: DbOrTrx, id: string, name: string): Promise<void> {
  await db.updateTable('organisation').set({ name }).where('id', '=', id).execute();
}

export async function setDefaultProject(db: DbOrTrx, organisationId: string, projectId: string): Promise<void> {
  await db.updateTable('organisation').set({ default_project_id: projectId }).where('id', '=', organisationId).execute();
}

export async function updateOrganisationSettings(
  db: DbOrTrx,
  id: string,
  settings: { name: string; mfa_required_for_admins: boolean; mfa_required_for_all: boolean },
): Promise<void> {
  await db.updateTable('organisation').set(settings).where('id', '=', id).execute();
}
