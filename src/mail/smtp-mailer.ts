import nodemailer from 'nodemailer';
import type { EmailMessage } from '../services/outbox.service.ts';
import { buildPgpMimeMessage } from './pgp-mime.ts';

export interface Mailer {
  /** Sends one message; `messageId` is stable per outbox event so a resend after a crash can be recognised as the same mail. */
  send(message: EmailMessage, messageId: string): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer. The URL carries host, port, TLS (smtps:// or STARTTLS) and credentials. */
export function createSmtpMailer(options: { smtpUrl: string; from: string; domain: string }): Mailer {
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async send(message, messageId) {
      const headers = { ...message.headers, 'Auto-Submitted': 'auto-generated' };
      if (message.pgpMime) {
        const raw = await buildPgpMimeMessage({ from: options.from, to: message.to, subject: message.subject, messageId: `<${messageId}@${options.domain}>`, replyTo: message.replyTo, extra: headers }, message.text);
        await transport.sendMail({ envelope: { from: options.from, to: message.to }, raw });
        return;
      }
      await transport.sendMail({
        from: options.from,
        to: message.to,
        replyTo: message.replyTo,
        subject: message.subject,
        text: message.text,
        messageId: `<${messageId}@${options.domain}>`,
        headers,
      });
    },
    close() {
      transport.close();
    },
  };
}
