import { randomUUID } from 'node:crypto';
import type { ApiTokenPrincipal, ReporterPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import type { AuditEntryInput } from '../../domain/audit/entry.ts';
import { EmbargoError } from '../../errors.ts';
import { insertReportMessage } from '../../storage/repositories/report-message.repository.ts';
import type { ReportMessage } from '../../storage/schema-reports.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { readAttachment, storeAttachments, summariseAttachment, type AttachmentSummary, type IncomingFile } from './attachments.service.ts';
import { REPORT_MESSAGE_TOPIC } from './portal.service.ts';
import { sealMessageBody } from './sealing.ts';

export const REPORT_ATTACHMENT_TOPIC = 'report.attachment_added';

type TeamMember = UserPrincipal | ApiTokenPrincipal;

export interface Posted {
  messageId: string | null;
  attachments: AttachmentSummary[];
}

interface Post {
  reportId: string;
  author: { type: 'reporter' } | { type: 'team'; userId: string };
  actor: AuditEntryInput['actor'];
  /** Undefined: the files hang on the report itself (reporter uploads only). */
  message: { body: string; visibility: ReportMessage['visibility'] } | undefined;
  files: readonly IncomingFile[];
}

/** One transaction: the message (if any), the files, the audit entries and one outbox event. */
async function post(ctx: ServiceContext, input: Post, meta: RequestMeta): Promise<Posted> {
  if (input.files.length === 0) throw new EmbargoError('validation_failed', 'attach at least one file', [{ path: 'body.files', message: 'attach at least one file' }]);
  const now = ctx.now();
  const by = input.author.type;
  return ctx.db.transaction().execute(async (trx) => {
    let messageId: string | null = null;
    if (input.message) {
      messageId = randomUUID();
      await insertReportMessage(trx, {
        id: messageId,
        report_id: input.reportId,
        author_type: by,
        author_user_id: input.author.type === 'team' ? input.author.userId : null,
        visibility: input.message.visibility,
        body_sealed: sealMessageBody(ctx, messageId, input.message.body),
        created_at: now,
      });
      await appendAudit(trx, { actor: input.actor, action: 'report.message.posted', object: { type: 'report', id: input.reportId }, outcome: 'success', ...meta, details: { messageId, by, visibility: input.message.visibility }, at: now });
    }
    const stored = await storeAttachments(trx, ctx, { reportId: input.reportId, messageId: messageId ?? undefined, uploadedBy: by, uploadedByUser: input.author.type === 'team' ? input.author.userId : null, files: input.files, actor: input.actor, meta });
    const attachmentIds = stored.map((a) => a.id);
    // Internal notes notify no one outside the team, as with text messages.
    if (input.message?.visibility !== 'internal') {
      await enqueueEvent(trx, ctx, messageId ? REPORT_MESSAGE_TOPIC : REPORT_ATTACHMENT_TOPIC, { reportId: input.reportId, messageId, attachmentIds, by });
    }
    return { messageId, attachments: stored.map(summariseAttachment) };
  });
}

/** The reporter adds files, with a message or on their own. */
export function addReporterAttachments(ctx: ServiceContext, reporter: ReporterPrincipal, input: { message?: string | undefined; files: readonly IncomingFile[] }, meta: RequestMeta): Promise<Posted> {
  const message = input.message ? { body: input.message, visibility: 'reporter' as const } : undefined;
  return post(ctx, { reportId: reporter.reportId, author: { type: 'reporter' }, actor: auditActor(reporter), message, files: input.files }, meta);
}

/**
 * The team adds files. They always hang on a message (its text may be empty),
 * because the message's visibility decides whether the reporter sees them.
 */
export function addTeamAttachments(
  ctx: ServiceContext,
  member: TeamMember,
  reportId: string,
  input: { message?: string | undefined; visibility: ReportMessage['visibility']; files: readonly IncomingFile[] },
  meta: RequestMeta,
): Promise<Posted> {
  const message = { body: input.message ?? '', visibility: input.visibility };
  return post(ctx, { reportId, author: { type: 'team', userId: member.userId }, actor: auditActor(member), message, files: input.files }, meta);
}

/** A reporter's download: only files of their own report that the reporter view shows. */
export function readOwnAttachment(ctx: ServiceContext, reporter: ReporterPrincipal, attachmentId: string) {
  return readAttachment(ctx, reporter.reportId, attachmentId, { reporterView: true });
}

/** A team download: decrypted content, so audited like every team read of a report. */
export async function readTeamAttachment(ctx: ServiceContext, member: TeamMember, reportId: string, attachmentId: string, meta: RequestMeta) {
  const attachment = await readAttachment(ctx, reportId, attachmentId, { reporterView: false });
  await appendAudit(ctx.db, { actor: auditActor(member), action: 'report.attachment.read', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, details: { attachmentId }, at: ctx.now() });
  return attachment;
}
