import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { isTeamEventKind, teamEventKinds, type TeamEventKind } from '../../domain/notifications/team-events.ts';
import { insertDigestItem, listPreferences, teamRecipients, usersByEmail, type TeamRecipient } from '../../storage/repositories/notification.repository.ts';
import { findProjectById } from '../../storage/repositories/project.repository.ts';
import type { Database } from '../../storage/schema.ts';
import type { OutboxConsumer } from '../outbox-consumers.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { immediateMail, noticeLine, type TeamNotice } from './team-mail.ts';

const advisoryKinds: readonly TeamEventKind[] = ['advisory.scheduled', 'advisory.published'];
const slaKinds: readonly TeamEventKind[] = ['sla.due_soon', 'sla.breached'];

/** What the event is about, from ids in its payload; undefined for events that notify nobody (a team member's own message). */
async function noticeOf(trx: Transaction<Database>, publicUrl: string, kind: TeamEventKind, payload: Readonly<Record<string, unknown>>): Promise<{ notice: TeamNotice; projectId: string } | undefined> {
  if (kind === 'report.message_posted' && payload.by !== 'reporter') return undefined;
  if (advisoryKinds.includes(kind)) {
    const { advisoryId, projectId, url } = payload;
    if (typeof advisoryId !== 'string' || typeof projectId !== 'string') return undefined;
    const project = await findProjectById(trx, projectId);
    // A scheduled advisory is not public yet: its link goes to the team's view.
    const link = typeof url === 'string' ? url : `${publicUrl}/advisories/${encodeURIComponent(advisoryId)}`;
    return project && { notice: { kind, subject: advisoryId, project, link }, projectId };
  }
  if (typeof payload.reportId !== 'string') return undefined;
  const report = await trx.selectFrom('report').select(['id', 'human_id', 'project_id']).where('id', '=', payload.reportId).executeTakeFirst();
  const project = report && (await findProjectById(trx, report.project_id));
  return report && project && { notice: { kind, subject: report.human_id, project, link: `${publicUrl}/reports/${report.id}` }, projectId: project.id };
}

/**
 * Who hears of an event. SLA reminders and escalations go to the addresses
 * the policy's escalation chain computed when the SLA scan fired the step
 * (the assignee, the triagers, the project admins, the owners or a named
 * address; services/triage/sla-scan.service.ts), which the event carries.
 * Everything else goes to the project's admins and triagers (the
 * organisation's owners and admins while the project has neither), less the
 * team member who caused it. Viewers are not mailed: they follow, they do not act.
 */
async function recipientsOf(trx: Transaction<Database>, kind: TeamEventKind, projectId: string, payload: Readonly<Record<string, unknown>>): Promise<{ users: TeamRecipient[]; addresses: string[] }> {
  if (slaKinds.includes(kind)) {
    const emails = Array.isArray(payload.recipients) ? payload.recipients.filter((e): e is string => typeof e === 'string') : [];
    const users = await usersByEmail(trx, emails);
    const known = new Set(users.map((u) => u.email.toLowerCase()));
    return { users: users.filter((u) => !u.disabled), addresses: [...new Set(emails.filter((e) => !known.has(e.toLowerCase())))] };
  }
  const team = await teamRecipients(trx, projectId);
  return { users: team.filter((r) => r.id !== payload.proposerUserId), addresses: [] };
}

/**
 * Routes team events to the people who should hear of them, each team
 * member as they chose: an immediate mail, a line in tomorrow's digest, or
 * nothing. A named address in the policy's escalation chain that is no
 * account has no preferences and is mailed at once.
 */
export const teamNotificationConsumer: OutboxConsumer = {
  topics: teamEventKinds,
  async consume(trx, ctx, event, payload) {
    if (!isTeamEventKind(event.topic)) return;
    const found = await noticeOf(trx, ctx.publicUrl, event.topic, payload);
    if (!found) return;
    const { users, addresses } = await recipientsOf(trx, event.topic, found.projectId, payload);
    const chosen = new Map((await listPreferences(trx, users.map((r) => r.id))).filter((p) => p.event_kind === event.topic).map((p) => [p.user_id, p.delivery]));
    for (const recipient of users) {
      const delivery = chosen.get(recipient.id) ?? 'immediate';
      if (delivery === 'immediate') await enqueueEmail(trx, ctx, immediateMail(ctx.publicUrl, recipient.email, found.notice));
      if (delivery === 'digest') await insertDigestItem(trx, { id: randomUUID(), user_id: recipient.id, event_kind: event.topic, line: noticeLine(found.notice), created_at: ctx.now() });
    }
    for (const address of addresses) await enqueueEmail(trx, ctx, immediateMail(ctx.publicUrl, address, found.notice));
  },
};
