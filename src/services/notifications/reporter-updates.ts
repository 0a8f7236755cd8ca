import type { ReportState, Resolution } from '../../domain/workflow/transitions.ts';
import { findReportById } from '../../storage/repositories/report.repository.ts';
import type { OutboxConsumer } from '../outbox-consumers.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { REPORT_RECEIVED_TOPIC } from '../reports/intake.service.ts';
import { mailToReporter, reporterRecipient } from '../reports/reporter-mail.ts';
import { stateChangeMessage } from '../triage/plain-words.ts';
import { DISCLOSURE_PROPOSED_TOPIC } from '../triage/disclosure.service.ts';
import { STATE_CHANGED_TOPIC } from '../triage/workflow.service.ts';

/**
 * Tells reporters who gave an email address that their report was received,
 * that it moved, and that the team proposed a disclosure date (the date
 * itself only encrypted; otherwise the mail points to the portal). The plain words of a state change carry no
 * report content; they go out encrypted anyway when the reporter gave a key.
 * Email reports already got their acknowledgement from email intake.
 */
export const reporterUpdateConsumer: OutboxConsumer = {
  topics: [REPORT_RECEIVED_TOPIC, STATE_CHANGED_TOPIC, DISCLOSURE_PROPOSED_TOPIC],
  async consume(trx, ctx, event, payload) {
    const reportId = typeof payload.reportId === 'string' ? payload.reportId : undefined;
    const report = reportId ? await findReportById(trx, reportId) : undefined;
    if (!report || report.spam_at !== null) return;
    const recipient = reporterRecipient(ctx, report);
    if (!recipient) return;
    const portal = `${ctx.publicUrl}/portal`;
    if (event.topic === REPORT_RECEIVED_TOPIC) {
      if (report.source === 'email') return;
      const text = `We received your report ${report.human_id}. Follow it, answer the team and agree the disclosure date at ${portal}, with the follow-up link you were shown when you reported.\n`;
      await enqueueEmail(trx, ctx, await mailToReporter(recipient, { subject: `We received your report ${report.human_id}`, secretText: text, plainText: text }));
      return;
    }
    if (event.topic === DISCLOSURE_PROPOSED_TOPIC) {
      if (payload.proposedBy !== 'team' || typeof payload.discloseAt !== 'string') return;
      const plainText = `The security team proposed a date to publish the details of your report ${report.human_id}.\n\nSee it, accept it or propose another at ${portal} with your follow-up link.\n`;
      const secretText = `The security team proposed to publish the details of your report ${report.human_id} on ${payload.discloseAt} (UTC).\n\nAccept it or propose another at ${portal} with your follow-up link.\n`;
      await enqueueEmail(trx, ctx, await mailToReporter(recipient, { subject: `A disclosure date was proposed for your report ${report.human_id}`, secretText, plainText }));
      return;
    }
    const to = typeof payload.to === 'string' ? (payload.to as ReportState) : undefined;
    if (!to || to === payload.from) return;
    const words = stateChangeMessage(to, report.resolution as Resolution | null);
    const text = `${words}\n\nReport ${report.human_id}: ${portal} (with your follow-up link).\n`;
    await enqueueEmail(trx, ctx, await mailToReporter(recipient, { subject: `Update on your report ${report.human_id}`, secretText: text, plainText: text }));
  },
};
