/**
 * PGP/MIME (RFC 3156) for outgoing mail: the encrypted payload is a MIME
 * entity (so mail clients show it like any message once decrypted), sent as
 * multipart/encrypted with the version part and the armoured message.
 */
import MimeNode from 'nodemailer/lib/mime-node';

/** What gets encrypted: a UTF-8 text part. 8bit is fine inside encryption, nothing on the way sees it. */
export function textMimeEntity(text: string): string {
  return `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text.replace(/\r?\n/g, '\r\n')}`;
}

export interface PgpMimeHeaders {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  replyTo?: string | undefined;
  extra: Record<string, string>;
}

/** The whole message, headers included, ready to send as nodemailer's `raw`. */
export async function buildPgpMimeMessage(headers: PgpMimeHeaders, armoredMessage: string): Promise<Buffer> {
  const root = new MimeNode('multipart/encrypted; protocol="application/pgp-encrypted"');
  root.setHeader({ from: headers.from, to: headers.to, subject: headers.subject, 'message-id': headers.messageId, ...headers.extra });
  if (headers.replyTo !== undefined) root.setHeader('reply-to', headers.replyTo);
  root
    .createChild('application/pgp-encrypted')
    .setHeader({ 'Content-Description': 'PGP/MIME version identification', 'Content-Transfer-Encoding': '7bit' })
    .setContent('Version: 1\r\n');
  root
    .createChild('application/octet-stream; name="encrypted.asc"')
    .setHeader({ 'Content-Description': 'OpenPGP encrypted message', 'Content-Disposition': 'inline; filename="encrypted.asc"', 'Content-Transfer-Encoding': '7bit' })
    .setContent(armoredMessage);
  return root.build();
}
