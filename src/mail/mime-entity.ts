/**
 * MIME entities inside OpenPGP messages. With PGP/MIME (RFC 3156) what is
 * encrypted is itself a MIME entity (headers, a text part, attachments,
 * sometimes "protected headers" such as the real Subject), not bare text.
 */
import { simpleParser, type ParsedMail } from 'mailparser';

export interface MailAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MimeContent {
  text: string;
  /** A protected Subject header (what clients that hide the subject put inside the encryption). */
  subject: string | undefined;
  attachments: MailAttachment[];
}

const HEADER_LINE = /^[!-9;-~]+:/;
const CONTINUATION = /^[ \t]/;

/** True when bytes start with a MIME header block that names a Content-Type, i.e. a PGP/MIME payload rather than plain text. */
export function isMimeEntity(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 16 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  if (end <= 0) return false;
  const lines = head.slice(0, end).split(/\r?\n/);
  return HEADER_LINE.test(lines[0]!) && lines.every((line) => HEADER_LINE.test(line) || CONTINUATION.test(line)) && lines.some((line) => /^content-type:/i.test(line));
}

export function attachmentsOf(parsed: Pick<ParsedMail, 'attachments'>): MailAttachment[] {
  return parsed.attachments.map((attachment, index) => ({
    filename: attachment.filename ?? `attachment-${index + 1}`,
    contentType: attachment.contentType,
    data: attachment.content,
  }));
}

export async function readMimeEntity(bytes: Uint8Array): Promise<MimeContent> {
  // Attachment checksums are not needed; cid: links stay as they are (nothing renders this HTML).
  const parsed = await simpleParser(Buffer.from(bytes), { checksumAlgo: false, keepCidLinks: true, skipTextToHtml: true });
  return { text: parsed.text ?? '', subject: parsed.subject, attachments: attachmentsOf(parsed) };
}
