import nodemailer from 'nodemailer';
import type { EmailMessage } from '../services/outbox.service.ts';

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
      await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: `<${messageId}@${options.domain}>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close() {
      transport.close();
    },
  };
}
