import { encryptToPublicKey } from '../../crypto/openpgp-encrypt.ts';
import { textMimeEntity } from '../../mail/pgp-mime.ts';
import type { Report } from '../../storage/schema-reports.ts';
import type { ServiceContext } from '../context.ts';
import type { EmailMessage } from '../outbox.service.ts';
import { openReportValue } from './sealing.ts';

/**
 * Mail to reporters. Report content leaves the instance by email only
 * encrypted to the reporter's own OpenPGP key; without one, a mail says that
 * something happened and where to read it, nothing more.
 */

/** The body of a PGP/MIME mail to the reporter: `text` as a MIME text part, encrypted to their key (as valid at the time of sending), armoured. */
export async function encryptForReporter(publicKeyArmored: string, text: string): Promise<string> {
  return encryptToPublicKey(publicKeyArmored, textMimeEntity(text), new Date());
}

export interface ReporterRecipient {
  email: string;
  publicKey?: string | undefined;
}

/**
 * `secretText` is only ever sent encrypted; `plainText` is what goes out
 * otherwise: without a key, or if encrypting fails (the key expired or was
 * revoked since the report).
 */
export async function mailToReporter(recipient: ReporterRecipient, mail: { subject: string; secretText: string; plainText: string; replyTo?: string | undefined }): Promise<EmailMessage> {
  const plain: EmailMessage = { to: recipient.email, subject: mail.subject, text: mail.plainText, replyTo: mail.replyTo };
  if (recipient.publicKey === undefined) return plain;
  try {
    return { ...plain, text: await encryptForReporter(recipient.publicKey, mail.secretText), pgpMime: true };
  } catch {
    return plain;
  }
}

/** Where the reporter can be mailed, from the sealed contact of their report; undefined when they gave no email. */
export function reporterRecipient(ctx: Pick<ServiceContext, 'keyring'>, report: Report): ReporterRecipient | undefined {
  if (!report.contact_sealed) return undefined;
  const contact = openReportValue<{ email?: string; publicKey?: string }>(ctx, 'contact_sealed', report.id, report.contact_sealed);
  return contact.email === undefined ? undefined : { email: contact.email, publicKey: contact.publicKey };
}

/** The mail telling a reporter about a team message: the message itself only when it can be encrypted to them. */
export async function teamMessageMail(ctx: Pick<ServiceContext, 'keyring' | 'publicUrl'>, report: Report, body: string): Promise<EmailMessage | undefined> {
  const recipient = reporterRecipient(ctx, report);
  if (!recipient) return undefined;
  const portal = `${ctx.publicUrl}/portal`;
  return mailToReporter(recipient, {
    subject: `New message about your report ${report.human_id}`,
    secretText: `The security team wrote about your report ${report.human_id}:\n\n${body}\n\nRead the whole thread and reply at ${portal} with your follow-up token.\n`,
    plainText: `There is a new message in your report ${report.human_id}.\n\nRead it at ${portal} with the follow-up token you received when you reported.\n\nThis email carries no report content: we only send that encrypted, to an OpenPGP key you give us with your report.\n`,
  });
}
