import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { ProjectKey, ProjectKeyTable } from '../schema-keys.ts';

export async function findProjectKey(db: DbOrTrx, projectId: string): Promise<ProjectKey | undefined> {
  return db.selectFrom('project_key').selectAll().where('project_id', '=', projectId).executeTakeFirst();
}

/** Replaces the project's key pair: a project has one intake key at a time. */
export async function upsertProjectKey(db: DbOrTrx, values: Insertable<ProjectKeyTable>): Promise<void> {
  const { project_id: _projectId, ...update } = values;
  await db
    .insertInto('project_key')
    .values(values)
    .onConflict((oc) => oc.column('project_id').doUpdateSet(update))
    .execute();
}

/** Returns false when the project had no private key to remove. */
export async function clearProjectPrivateKey(db: DbOrTrx, projectId: string): Promise<boolean> {
  const result = await db.updateTable('project_key').set({ private_key_sealed: null }).where('project_id', '=', projectId).where('private_key_sealed', 'is not', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
