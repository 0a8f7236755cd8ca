import nodemailer from 'nodemailer';
import type { EmailMessage } from '../services/outbox.service.ts';
import { htmlAlternative } from './html-mail.ts';
import { buildPgpMimeMessage } from './pgp-mime.ts';

export interface SentMail {
  /** The server's final answer to the message, e.g. `250 2.0.0 Ok: queued`. */
  response: string;
}

export interface Mailer {
  /** Sends one message; `messageId` is stable per outbox event so a resend after a crash can be recognised as the same mail. */
  send(message: EmailMessage, messageId: string): Promise<SentMail>;
  close(): void;
}

/** A refusal the server says will not change on retry (a 5xx reply, e.g. an unknown mailbox), as opposed to a 4xx or a broken connection. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * SMTP through nodemailer. The URL carries host, port, TLS (smtps:// or
 * STARTTLS) and credentials. A plain message goes out as
 * multipart/alternative: its text, then the same as escaped HTML
 * (html-mail.ts). A PGP/MIME message carries nothing in clear beyond its
 * headers, so it has no HTML part.
 */
/**
 * The longest one send may take. nodemailer's own defaults (2 min to connect,
 * 10 min of socket silence) exceed the outbox lease, after which another
 * worker would send the same mail again while this one still waits.
 */
export const SMTP_SEND_BOUND_MS = 90_000;

export function createSmtpMailer(options: { smtpUrl: string; from: string; domain: string }): Mailer {
  // A URL's own timeout parameters still win: nodemailer merges URL options over these.
  const transport = nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 50_000 });
  return {
    async send(message, messageId) {
      const headers = { ...message.headers, 'Auto-Submitted': 'auto-generated' };
      if (message.pgpMime) {
        const raw = await buildPgpMimeMessage({ from: options.from, to: message.to, subject: message.subject, messageId: `<${messageId}@${options.domain}>`, replyTo: message.replyTo, extra: headers }, message.text);
        const info = await transport.sendMail({ envelope: { from: options.from, to: message.to }, raw });
        return { response: String(info.response ?? '') };
      }
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        replyTo: message.replyTo,
        subject: message.subject,
        text: message.text,
        html: htmlAlternative(message.subject, message.text),
        messageId: `<${messageId}@${options.domain}>`,
        headers,
      });
      return { response: String(info.response ?? '') };
    },
    close() {
      transport.close();
    },
  };
}
