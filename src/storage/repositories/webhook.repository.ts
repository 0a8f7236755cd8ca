import { sql } from 'kysely';
import type { DbOrTrx } from '../database.ts';
import type { Webhook } from '../schema-webhooks.ts';

export async function insertWebhook(db: DbOrTrx, values: { id: string; projectId: string; url: string; eventTypes: readonly string[]; secretSealed: string; now: Date }): Promise<Webhook> {
  return db
    .insertInto('webhook')
    .values({ id: values.id, project_id: values.projectId, url: values.url, event_types: JSON.stringify(values.eventTypes), secret_sealed: values.secretSealed, created_at: values.now, updated_at: values.now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listProjectWebhooks(db: DbOrTrx, projectId: string): Promise<Webhook[]> {
  return db.selectFrom('webhook').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
}

export async function findProjectWebhook(db: DbOrTrx, projectId: string, id: string): Promise<Webhook | undefined> {
  return db.selectFrom('webhook').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

export async function findWebhookById(db: DbOrTrx, id: string): Promise<Webhook | undefined> {
  return db.selectFrom('webhook').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Enabling again clears the failure count, so a repaired receiver gets the full allowance. */
export async function updateWebhook(db: DbOrTrx, id: string, changes: { url?: string | undefined; eventTypes?: readonly string[] | undefined; enabled?: boolean | undefined }, now: Date): Promise<Webhook> {
  return db
    .updateTable('webhook')
    .set({
      updated_at: now,
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.eventTypes !== undefined ? { event_types: JSON.stringify(changes.eventTypes) } : {}),
      ...(changes.enabled === true ? { enabled: true, disabled_at: null, consecutive_failures: 0 } : {}),
      ...(changes.enabled === false ? { enabled: false, disabled_at: now } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteWebhook(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('webhook').where('id', '=', id).execute();
}

/** Enabled webhooks of a project subscribed to a topic (jsonb containment: the event type is one of the array's elements). */
export async function listSubscribedWebhooks(db: DbOrTrx, projectId: string, topic: string): Promise<Webhook[]> {
  return db
    .selectFrom('webhook')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('enabled', '=', true)
    .where(sql<boolean>`event_types @> ${JSON.stringify([topic])}::jsonb`)
    .execute();
}

export async function recordWebhookSuccess(db: DbOrTrx, id: string): Promise<void> {
  await db.updateTable('webhook').set({ consecutive_failures: 0 }).where('id', '=', id).execute();
}

/**
 * Counts a failure under the row lock and disables the webhook when it
 * reaches the limit. Returns true only to the call that disabled it, so the
 * admins are told once.
 */
export async function recordWebhookFailure(db: DbOrTrx, id: string, maxConsecutiveFailures: number, now: Date): Promise<{ disabledNow: boolean }> {
  const row = await db
    .updateTable('webhook')
    .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
    .where('id', '=', id)
    .returning(['consecutive_failures', 'enabled'])
    .executeTakeFirst();
  if (!row || !row.enabled || row.consecutive_failures < maxConsecutiveFailures) return { disabledNow: false };
  await db.updateTable('webhook').set({ enabled: false, disabled_at: now }).where('id', '=', id).execute();
  return { disabledNow: true };
}
