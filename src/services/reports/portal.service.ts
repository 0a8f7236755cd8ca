import { randomUUID } from 'node:crypto';
import type { ReporterPrincipal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import type { CreditMode } from '../../storage/schema-reports.ts';
import { insertReportMessage, listReportMessages } from '../../storage/repositories/report-message.repository.ts';
import { findReportById, updateReportCredit } from '../../storage/repositories/report.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { listAttachments, summariseAttachment } from './attachments.service.ts';
import { decryptForProject } from './project-keys.service.ts';
import { openMessage, openReport } from './report-view.ts';
import { sealMessageBody, sealReportValue } from './sealing.ts';

export const REPORT_MESSAGE_TOPIC = 'report.message_posted';

async function ownReport(ctx: ServiceContext, reporter: ReporterPrincipal) {
  const report = await findReportById(ctx.db, reporter.reportId);
  if (!report) throw new EmbargoError('not_found', 'the report no longer exists');
  return report;
}

/**
 * What a reporter sees of their report: its content, status and the thread
 * without internal notes. Team members appear only as "team".
 */
export async function readOwnReport(ctx: ServiceContext, reporter: ReporterPrincipal) {
  const report = openReport(ctx, await ownReport(ctx, reporter));
  const messages = (await listReportMessages(ctx.db, reporter.reportId, { reporterView: true })).map((m) => openMessage(ctx, m));
  const attachments = (await listAttachments(ctx, reporter.reportId, { reporterView: true })).map(summariseAttachment);
  return {
    id: report.id,
    humanId: report.humanId,
    status: report.state,
    receivedAt: report.receivedAt,
    title: report.title,
    content: report.content,
    versionStatus: report.versionStatus,
    credit: report.credit,
    contact: report.contact ? { email: report.contact.email ?? null, uri: report.contact.uri ?? null, hasPublicKey: report.contact.publicKey !== undefined } : null,
    messages: messages.map((m) => ({ id: m.id, author: m.authorType === 'reporter' ? ('you' as const) : m.authorType, body: m.body, html: m.html, createdAt: m.createdAt, attachments: attachments.filter((a) => a.messageId === m.id) })),
    attachments,
    disclosure: null,
  };
}

/** Adds a message to the thread from the reporter. */
export async function postReporterMessage(ctx: ServiceContext, reporter: ReporterPrincipal, body: string, meta: RequestMeta, options: { encryptedToTeam?: boolean } = {}) {
  await ownReport(ctx, reporter);
  // An armoured body is decrypted with the project key when Embargo holds it, else kept as received.
  const opened = await decryptForProject(ctx, reporter.projectId, body);
  const id = randomUUID();
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const message = await insertReportMessage(trx, {
      id,
      report_id: reporter.reportId,
      author_type: 'reporter',
      author_user_id: null,
      visibility: 'reporter',
      body_sealed: sealMessageBody(ctx, id, opened.text),
      encrypted_to_team: (options.encryptedToTeam ?? false) || opened.encryptedToTeam,
      created_at: now,
    });
    await appendAudit(trx, { actor: { type: 'reporter', id: reporter.reportId }, action: 'report.message.posted', object: { type: 'report', id: reporter.reportId }, outcome: 'success', ...meta, details: { messageId: id, by: 'reporter' }, at: now });
    await enqueueEvent(trx, ctx, REPORT_MESSAGE_TOPIC, { reportId: reporter.reportId, messageId: id, by: 'reporter' });
    return { id: message.id, createdAt: message.created_at };
  });
}

export async function updateOwnCredit(ctx: ServiceContext, reporter: ReporterPrincipal, credit: { mode: CreditMode; name?: string | undefined }, meta: RequestMeta) {
  if (credit.mode === 'named' && !credit.name?.trim()) throw new EmbargoError('validation_failed', 'give the name to credit', [{ path: 'body.name', message: 'is needed to credit you by name' }]);
  await ownReport(ctx, reporter);
  await ctx.db.transaction().execute(async (trx) => {
    const sealed = credit.mode === 'named' ? sealReportValue(ctx, 'credit_name_sealed', reporter.reportId, credit.name) : null;
    await updateReportCredit(trx, reporter.reportId, credit.mode, sealed, ctx.now());
    await appendAudit(trx, { actor: { type: 'reporter', id: reporter.reportId }, action: 'report.credit.updated', object: { type: 'report', id: reporter.reportId }, outcome: 'success', ...meta, details: { mode: credit.mode }, at: ctx.now() });
  });
  return { mode: credit.mode, name: credit.mode === 'named' ? credit.name! : null };
}
