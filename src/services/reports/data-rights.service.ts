import type { AuditEntryInput } from '../../domain/audit/entry.ts';
import { EmbargoError } from '../../errors.ts';
import { listAuditEntries } from '../../storage/repositories/audit.repository.ts';
import { findProjectById } from '../../storage/repositories/project.repository.ts';
import { listReportMessages } from '../../storage/repositories/report-message.repository.ts';
import { findReportById, lockReportById, updateReport } from '../../storage/repositories/report.repository.ts';
import { revokeReporterTokens } from '../../storage/repositories/reporter-token.repository.ts';
import { countReplyAddresses, deleteReplyAddresses, listEmailEventsSince, listLinkedAdvisoryIds, listReporterTokenHistory, redactOutboxEvent } from '../../storage/repositories/reporter-data.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { EMAIL_TOPIC, openEmailPayload, sealEventPayload } from '../outbox.service.ts';
import { listAttachments } from './attachments.service.ts';
import { openMessage, openReport } from './report-view.ts';

/**
 * A reporter's data rights (GDPR Art. 15, 17, 20): everything held about them as JSON, and the
 * erasure of what identifies them. The reporter asks with their follow-up token; the team (a
 * project admin) acts on a request that reached it another way.
 *
 * What identifies a reporter: the contact (email, URI, OpenPGP key) and the credit name, both
 * sealed in the report row; the follow-up tokens and email reply addresses that tie a person to
 * the report; emails queued to their address; the addresses and user agents of their requests in
 * the audit log. Erasure clears the first three and redacts the emails. The report's technical
 * content (title, fields, thread, attachments) stays: it is the vulnerability, which the team
 * must keep to fix and disclose it. Audit entries are never rewritten (the hash chain would
 * break): their details never held the contact or credit name, and the request addresses stay
 * as security records (Art. 17(3)(e)), bounded by the audit log's retention.
 */
export type DataRightsRequester = { kind: 'reporter' } | { kind: 'team'; actor: AuditEntryInput['actor'] };

const ERASED_EMAIL = { to: 'erased@invalid', subject: '(erased at the recipient’s request)', text: '' };
const AUDIT_PAGE = 500;

function actorOf(requester: DataRightsRequester, reportId: string): AuditEntryInput['actor'] {
  return requester.kind === 'reporter' ? { type: 'reporter', id: reportId } : requester.actor;
}

async function reportOrThrow(ctx: ServiceContext, reportId: string) {
  const report = await findReportById(ctx.db, reportId);
  if (!report) throw new EmbargoError('not_found', 'no such report');
  return report;
}

/** The audit entries of the reporter's own requests (actor = their report), in chain order. */
async function reporterActivity(ctx: ServiceContext, reportId: string) {
  const activity: Array<{ at: string; action: string; outcome: string; ip: string | null; userAgent: string | null }> = [];
  for (let afterSeq = 0; ; ) {
    const page = await listAuditEntries(ctx.db, { actorId: reportId, afterSeq, limit: AUDIT_PAGE });
    for (const entry of page) if (entry.actor_type === 'reporter') activity.push({ at: entry.at, action: entry.action, outcome: entry.outcome, ip: entry.ip, userAgent: entry.user_agent });
    if (page.length < AUDIT_PAGE) return activity;
    afterSeq = page.at(-1)!.seq;
  }
}

/** Everything held about the reporter of one report. Reading it is itself audited: it discloses personal data. */
export async function exportReporterData(ctx: ServiceContext, reportId: string, requester: DataRightsRequester, meta: RequestMeta) {
  const row = await reportOrThrow(ctx, reportId);
  const report = openReport(ctx, row);
  const project = await findProjectById(ctx.db, row.project_id);
  const messages = (await listReportMessages(ctx.db, reportId, { reporterView: true })).map((m) => openMessage(ctx, m));
  const attachments = await listAttachments(ctx, reportId, { reporterView: true });
  const tokens = await listReporterTokenHistory(ctx.db, reportId);
  const exported = {
    exportedAt: ctx.now().toISOString(),
    report: { id: report.id, humanId: report.humanId, project: project?.slug ?? null, source: report.source, receivedAt: report.receivedAt.toISOString(), status: report.state, title: report.title, content: report.content, versionStatus: report.versionStatus },
    personalData: {
      contact: report.contact ? { email: report.contact.email ?? null, uri: report.contact.uri ?? null, publicKey: report.contact.publicKey ?? null } : null,
      credit: report.credit,
      followUpTokens: tokens.map((t) => ({ createdAt: new Date(t.created_at).toISOString(), revokedAt: t.revoked_at?.toISOString() ?? null, revokedReason: t.revoked_reason })),
      emailReplyAddresses: await countReplyAddresses(ctx.db, reportId),
      /** Addresses and user agents of the reporter's requests, as the audit log holds them. */
      activity: await reporterActivity(ctx, reportId),
    },
    // The thread as the reporter sees it: internal notes are the team's and are not part of the export.
    messages: messages.map((m) => ({ id: m.id, author: m.authorType, body: m.body, createdAt: m.createdAt.toISOString() })),
    attachments: attachments.map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, uploadedBy: a.uploadedBy, messageId: a.messageId, createdAt: a.createdAt.toISOString() })),
  };
  await appendAudit(ctx.db, { actor: actorOf(requester, reportId), action: 'report.reporter_data.exported', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, details: { by: requester.kind }, at: ctx.now() });
  return exported;
}

export interface ErasureResult {
  erasedAt: string;
  contactErased: boolean;
  creditNameErased: boolean;
  followUpTokensRevoked: number;
  replyAddressesRemoved: number;
  emailsRedacted: number;
  /** Advisories linked to the report: their credits are the team's published words and are not edited here. */
  linkedAdvisories: string[];
}

/**
 * Erases what identifies the reporter, in one transaction, and records it as a new audit entry
 * (counts only). Every follow-up token is revoked whoever asked: a live token would keep a way
 * to act as the reporter (and to give a credit name again) on a report no longer tied to anyone.
 */
export async function eraseReporterData(ctx: ServiceContext, reportId: string, requester: DataRightsRequester, meta: RequestMeta): Promise<ErasureResult> {
  await reportOrThrow(ctx, reportId);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockReportById(trx, reportId);
    if (!row) throw new EmbargoError('not_found', 'no such report');
    const now = ctx.now();
    const email = openReport(ctx, row).contact?.email?.toLowerCase();
    await updateReport(trx, reportId, { contact_sealed: null, credit_name_sealed: null, credit_mode: row.credit_mode === 'named' ? 'anonymous' : row.credit_mode, updated_at: now });
    const followUpTokensRevoked = await revokeReporterTokens(trx, reportId, now, 'erased');
    const replyAddressesRemoved = await deleteReplyAddresses(trx, reportId);
    let emailsRedacted = 0;
    if (email) {
      for (const event of await listEmailEventsSince(trx, EMAIL_TOPIC, row.created_at)) {
        if (openEmailPayload(ctx, event).to.toLowerCase() !== email) continue;
        const unsent = event.delivered_at === null && event.parked_at === null;
        await redactOutboxEvent(trx, event.id, sealEventPayload(ctx, event.id, ERASED_EMAIL), unsent ? { reason: 'recipient erased', at: now } : undefined);
        emailsRedacted += 1;
      }
    }
    const result: ErasureResult = {
      erasedAt: now.toISOString(),
      contactErased: row.contact_sealed !== null,
      creditNameErased: row.credit_name_sealed !== null,
      followUpTokensRevoked,
      replyAddressesRemoved,
      emailsRedacted,
      linkedAdvisories: await listLinkedAdvisoryIds(trx, reportId),
    };
    const { erasedAt: _at, linkedAdvisories: _linked, ...counts } = result;
    await appendAudit(trx, { actor: actorOf(requester, reportId), action: 'report.reporter_data.erased', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, details: { by: requester.kind, ...counts }, at: now });
    return result;
  });
}
