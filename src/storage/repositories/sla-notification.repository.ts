import type { DbOrTrx } from '../database.ts';

/**
 * Records a reminder or escalation once: the unique key (report, clock,
 * kind, level, due time) turns a second run of the same scan into a no-op.
 * Returns true only for the run that recorded it.
 */
export async function recordSlaNotification(
  db: DbOrTrx,
  values: { reportId: string; clock: string; kind: 'reminder' | 'escalation'; level: number; dueAt: Date; recipients: string[]; now: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto('sla_notification')
    .values({ report_id: values.reportId, clock: values.clock, kind: values.kind, level: values.level, due_at: values.dueAt, recipients: JSON.stringify(values.recipients), created_at: values.now })
    .onConflict((oc) => oc.constraint('sla_notification_once').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listSlaNotifications(db: DbOrTrx, reportId: string) {
  return db.selectFrom('sla_notification').selectAll().where('report_id', '=', reportId).orderBy('created_at').orderBy('level').execute();
}
