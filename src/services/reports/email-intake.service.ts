import { createHash } from 'node:crypto';
import { generateMailToken } from '../../crypto/mail-token.ts';
import { readEncryptionPublicKey } from '../../crypto/openpgp-public-key.ts';
import { hashSecretToken } from '../../crypto/secret-token.ts';
import type { ReporterPrincipal } from '../../domain/access/principal.ts';
import { parseIntakeAddress, replyAddress } from '../../domain/reports/intake-address.ts';
import { EmbargoError } from '../../errors.ts';
import type { MailAttachment } from '../../mail/mime-entity.ts';
import type { InboundMail } from '../../mail/parse-inbound.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import { findReplyAddress, insertReplyAddress } from '../../storage/repositories/reply-address.repository.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { getDefaultProject, getProject } from '../project.service.ts';
import { submitReport, type Receipt } from './intake.service.ts';
import { postReporterMessage } from './portal.service.ts';
import { decryptForProject } from './project-keys.service.ts';
import { mailToReporter } from './reporter-mail.ts';

/**
 * Email intake: a mail to a project's intake address becomes a report; a
 * mail to a report's reply address becomes a message in its thread.
 *
 * A mail cannot fill in a form, so for email only the text is required:
 * the policy's other required fields and questions are left for the team to
 * ask in the thread (the subject becomes the title, the body the description,
 * the From address the contact). The sender gets an acknowledgement with the
 * follow-up link (for email reporters the mail is the receipt) and a
 * per-report Reply-To address, whose token is stored as a keyed hash only.
 */
export interface EmailIntakeSettings {
  /** The intake domain: security+{slug}@domain. */
  domain: string;
  /** The inbound size limit, which also bounds a decrypted PGP/MIME payload. */
  maxBytes: number;
}

export type IntakeDestination = { kind: 'project'; slug: string } | { kind: 'reply'; reporter: ReporterPrincipal };

const MAX_TITLE = 200;

/** A reply quoting the acknowledgement carries the reporter's follow-up token and reply token: the team must not read those in the thread. */
function withoutSecrets(text: string): string {
  return text.replace(/emb_rep_[A-Za-z0-9_-]{43}/g, '[removed]').replace(/(security\+[a-z0-9-]+\.r\.)[a-z2-7]{26}/gi, '$1[removed]');
}

const replyTokenHash = (token: string, serverSecret: string) => hashSecretToken(`emb_reply_${token}`, serverSecret);

/** Where an address delivers to, or undefined when it is none of ours (refused at RCPT time). */
export async function resolveIntakeRecipient(ctx: ServiceContext, settings: EmailIntakeSettings, address: string): Promise<IntakeDestination | undefined> {
  const parsed = parseIntakeAddress(address, settings.domain);
  if (!parsed) return undefined;
  if (parsed.kind === 'default') {
    const project = await getDefaultProject(ctx);
    return project ? { kind: 'project', slug: project.slug } : undefined;
  }
  if (parsed.kind === 'project') return (await findProjectBySlug(ctx.db, parsed.slug)) ? { kind: 'project', slug: parsed.slug } : undefined;
  const found = await findReplyAddress(ctx.db, replyTokenHash(parsed.token, ctx.serverSecret));
  if (!found || found.slug !== parsed.slug) return undefined;
  // The reply address stands in for a follow-up token: it names one report and can only post to its thread.
  return { kind: 'reply', reporter: { kind: 'reporter', reportId: found.reportId, projectId: found.projectId, tokenId: found.replyAddressId } };
}

interface MailContent {
  text: string;
  subject: string | undefined;
  attachments: MailAttachment[];
  encryptedToTeam: boolean;
}

/** Decrypts PGP/MIME or inline PGP with the project key, or keeps the mail as received when that cannot be done here. */
async function contentOf(ctx: ServiceContext, settings: EmailIntakeSettings, projectId: string, mail: InboundMail): Promise<MailContent> {
  const opened = await decryptForProject(ctx, projectId, mail.pgpMimePayload ?? mail.text, { maxBytes: settings.maxBytes });
  // Clients that protect headers put the real subject inside the encryption and "..." outside.
  return { text: opened.text, subject: opened.subject ?? mail.subject, attachments: [...mail.attachments, ...opened.attachments], encryptedToTeam: opened.encryptedToTeam };
}

function requireText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new EmbargoError('validation_failed', 'The message has no text: describe the issue in the body of the mail', [{ path: 'body', message: 'is empty' }]);
  return trimmed;
}

/**
 * A subject is any bytes an encoded word carries: control characters (NUL, which PostgreSQL refuses in a title kept
 * in clear, and terminal escapes) become spaces, and bidi controls, which can make a title read backwards, go.
 */
function titleOf(subject: string | undefined): string {
  const clean = (subject ?? '').replace(/\p{Cc}/gu, ' ').replace(/\p{Bidi_Control}/gu, '').replace(/\s+/g, ' ').trim();
  return clean === '' ? '(no subject)' : Array.from(clean).slice(0, MAX_TITLE).join('');
}

/** An offered key that cannot be used is ignored rather than refusing the report: the sender then gets plain mail. */
async function usableKey(ctx: ServiceContext, offered: string | undefined): Promise<string | undefined> {
  if (offered === undefined) return undefined;
  return (await readEncryptionPublicKey(offered, { now: ctx.now(), path: 'body.reporter_public_key' }).catch(() => undefined))?.armored;
}

function acknowledgementText(receipt: Receipt, projectName: string): string {
  return [
    `We received your report ${receipt.humanId} for ${projectName}.`,
    '',
    'Follow it, read our answers and add information at:',
    receipt.followUpUrl,
    '',
    'That link is your key to the report: keep this email and do not forward it.',
    'You can also reply to this email: replies are added to the report.',
    '',
  ].join('\n');
}

export async function receiveEmail(ctx: ServiceContext, settings: EmailIntakeSettings, destination: IntakeDestination, mail: InboundMail, meta: RequestMeta): Promise<{ reportId: string }> {
  if (destination.kind === 'reply') {
    const content = await contentOf(ctx, settings, destination.reporter.projectId, mail);
    const body = withoutSecrets(requireText(content.text));
    await postReporterMessage(ctx, destination.reporter, body, meta, { encryptedToTeam: content.encryptedToTeam });
    return { reportId: destination.reporter.reportId };
  }
  const project = await getProject(ctx, destination.slug);
  const content = await contentOf(ctx, settings, project.id, mail);
  const publicKey = await usableKey(ctx, mail.offeredPublicKey);
  const sender = mail.from;
  const { receipt } = await submitReport(
    ctx,
    {
      slug: project.slug,
      source: 'email',
      submission: { title: titleOf(content.subject), description: requireText(content.text), contact: sender ? { email: sender } : undefined, reporter_public_key: publicKey },
      encryptedToTeam: content.encryptedToTeam,
      attachments: content.attachments.map((file) => ({ filename: file.filename, declaredType: file.contentType, data: file.data })),
      // A sending server that retries after a lost reply gets the same report back, and no second acknowledgement.
      idempotencyKey: mail.messageId === undefined ? undefined : `smtp:${createHash('sha256').update(mail.messageId).digest('hex')}`,
      withinTransaction: async (trx, created) => {
        if (sender === undefined || mail.autoSubmitted) return;
        const token = generateMailToken();
        await insertReplyAddress(trx, created.id, replyTokenHash(token, ctx.serverSecret), ctx.now());
        const text = acknowledgementText(created, project.name);
        // Encrypting here keeps the report, its reply address and the mail in one commit; it takes milliseconds.
        const ack = await mailToReporter({ email: sender, publicKey }, { subject: `Report received: ${created.humanId}`, secretText: text, plainText: text, replyTo: replyAddress(project.slug, token, settings.domain) });
        await enqueueEmail(trx, ctx, ack);
      },
    },
    meta,
  );
  return { reportId: receipt.id };
}
