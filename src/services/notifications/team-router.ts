import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { isTeamEventKind, teamEventKinds, type TeamEventKind } from '../../domain/notifications/team-events.ts';
import { insertDigestItem, listPreferences, teamRecipients } from '../../storage/repositories/notification.repository.ts';
import { findProjectById } from '../../storage/repositories/project.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { OutboxConsumer } from '../outbox-consumers.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { immediateMail, noticeLine, type TeamNotice } from './team-mail.ts';

/** Escalation level from which an SLA breach also reaches the organisation's owners and admins. */
const ORG_ESCALATION_LEVEL = 3;

/** What the event is about, from ids in its payload; undefined for events that notify nobody (a team member's own message). */
async function noticeOf(trx: Transaction<Database>, publicUrl: string, kind: TeamEventKind, payload: Readonly<Record<string, unknown>>): Promise<{ notice: TeamNotice; projectId: string } | undefined> {
  if (kind === 'report.message_posted' && payload.by !== 'reporter') return undefined;
  if (kind === 'advisory.published') {
    const { advisoryId, projectId, url } = payload;
    if (typeof advisoryId !== 'string' || typeof projectId !== 'string' || typeof url !== 'string') return undefined;
    const project = await findProjectById(trx, projectId);
    return project && { notice: { kind, subject: advisoryId, project, link: url }, projectId };
  }
  if (typeof payload.reportId !== 'string') return undefined;
  const report = await trx.selectFrom('report').select(['id', 'human_id', 'project_id']).where('id', '=', payload.reportId).executeTakeFirst();
  const project = report && (await findProjectById(trx, report.project_id));
  return report && project && { notice: { kind, subject: report.human_id, project, link: `${publicUrl}/reports/${report.id}` }, projectId: project.id };
}

/**
 * Routes team events to the project's admins and triagers (and, for an SLA
 * breach at escalation level 3 or more, the organisation's owners and
 * admins), each as they chose: an immediate mail, a line in tomorrow's
 * digest, or nothing. Viewers are not mailed: they follow, they do not act.
 * The escalation `recipients` an SLA event carries from the policy are not
 * used here; this fixed rule is the team's mail, the policy's addresses
 * remain in the event for other consumers.
 */
export const teamNotificationConsumer: OutboxConsumer = {
  topics: teamEventKinds,
  async consume(trx, ctx, event, payload) {
    if (!isTeamEventKind(event.topic)) return;
    const found = await noticeOf(trx, ctx.publicUrl, event.topic, payload);
    if (!found) return;
    const orgAdmins = event.topic === 'sla.breached' && typeof payload.level === 'number' && payload.level >= ORG_ESCALATION_LEVEL;
    const recipients = await teamRecipients(trx, found.projectId, { orgAdmins });
    const chosen = new Map((await listPreferences(trx, recipients.map((r) => r.id))).filter((p) => p.event_kind === event.topic).map((p) => [p.user_id, p.delivery]));
    for (const recipient of recipients) {
      const delivery = chosen.get(recipient.id) ?? 'immediate';
      if (delivery === 'immediate') await enqueueEmail(trx, ctx, immediateMail(ctx.publicUrl, recipient.email, found.notice));
      if (delivery === 'digest') await insertDigestItem(trx, { id: randomUUID(), user_id: recipient.id, event_kind: event.topic, line: noticeLine(found.notice), created_at: ctx.now() });
    }
  },
};
