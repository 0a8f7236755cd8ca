import type { DbOrTrx } from '../database.ts';
import type { InstanceKey } from '../schema-instance-keys.ts';

export async function findInstanceKey(db: DbOrTrx, purpose: string): Promise<InstanceKey | undefined> {
  return db.selectFrom('instance_key').selectAll().where('purpose', '=', purpose).executeTakeFirst();
}

/** Inserts unless another process created the key first; either way returns the stored key. */
export async function insertInstanceKeyOnce(db: DbOrTrx, key: Omit<InstanceKey, 'created_at'>): Promise<InstanceKey> {
  await db.insertInto('instance_key').values(key).onConflict((oc) => oc.column('purpose').doNothing()).execute();
  return (await findInstanceKey(db, key.purpose))!;
}
