/**
 * Reads an inbound mail (the email intake) into what the intake needs: who
 * sent it, the subject, the text, the files, the encrypted payload of a
 * PGP/MIME message, and a public key the sender offered (an attached key or
 * an Autocrypt header). Nothing here is trusted: headers are claims.
 */
import { simpleParser, type AddressObject, type HeaderValue, type StructuredHeader } from 'mailparser';
import { attachmentsOf, type MailAttachment } from './mime-entity.ts';

export interface InboundMail {
  /** The From address (forgeable: no SPF/DKIM/DMARC check is made here). */
  from: string | undefined;
  subject: string | undefined;
  messageId: string | undefined;
  /** The plain text body (HTML converted when there is no text part); may hold inline PGP. */
  text: string;
  /** The armoured encrypted part of a PGP/MIME message (RFC 3156). */
  pgpMimePayload: string | undefined;
  /** Files, without PGP/MIME control parts and without the offered public key. */
  attachments: MailAttachment[];
  /** An armoured public key the sender offered, unchecked. */
  offeredPublicKey: string | undefined;
  /** Sent by a program (RFC 3834 Auto-Submitted, or bulk/list precedence): never answered, so two robots cannot loop. */
  autoSubmitted: boolean;
}

const PUBLIC_KEY_BLOCK = /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/;
const PGP_MESSAGE = '-----BEGIN PGP MESSAGE-----';

function headerText(value: HeaderValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return undefined;
}

function firstAddress(header: AddressObject | undefined): string | undefined {
  return header?.value.find((entry) => entry.address !== undefined)?.address;
}

function isPgpMime(headers: Map<string, HeaderValue>): boolean {
  // mailparser always parses Content-Type into a StructuredHeader; only other headers take other shapes.
  const type = headers.get('content-type') as StructuredHeader | undefined;
  return type?.value.toLowerCase() === 'multipart/encrypted' && type.params.protocol?.toLowerCase() === 'application/pgp-encrypted';
}

/** Autocrypt (https://autocrypt.org/level1.html): `addr=…; keydata=<base64 key>`, only when addr is the sender. */
function autocryptKey(header: string | undefined, from: string | undefined): string | undefined {
  if (header === undefined || from === undefined) return undefined;
  const attributes = new Map(header.split(';').map((part) => part.trim().split('=')).map(([name = '', ...rest]) => [name.trim().toLowerCase(), rest.join('=').trim()]));
  if (attributes.get('addr')?.toLowerCase() !== from.toLowerCase()) return undefined;
  const keydata = attributes.get('keydata')?.replace(/\s+/g, '');
  if (!keydata) return undefined;
  const lines = keydata.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${lines.join('\n')}\n-----END PGP PUBLIC KEY BLOCK-----\n`;
}

function isAutoSubmitted(headers: Map<string, HeaderValue>): boolean {
  const auto = headerText(headers.get('auto-submitted'))?.trim().toLowerCase();
  const precedence = headerText(headers.get('precedence'))?.trim().toLowerCase();
  return (auto !== undefined && auto !== 'no') || precedence === 'bulk' || precedence === 'junk' || precedence === 'list';
}

export async function parseInboundMail(raw: Buffer): Promise<InboundMail> {
  const parsed = await simpleParser(raw, { checksumAlgo: false, keepCidLinks: true, skipTextToHtml: true });
  const from = firstAddress(parsed.from);
  let attachments = attachmentsOf(parsed);
  let pgpMimePayload: string | undefined;
  if (isPgpMime(parsed.headers)) {
    const payload = attachments.find((file) => file.data.toString('latin1').includes(PGP_MESSAGE));
    pgpMimePayload = payload?.data.toString('utf8');
    attachments = attachments.filter((file) => file !== payload && file.contentType !== 'application/pgp-encrypted');
  }
  const keyFile = attachments.find((file) => file.contentType === 'application/pgp-keys' || PUBLIC_KEY_BLOCK.test(file.data.toString('latin1', 0, 256 * 1024)));
  const attachedKey = keyFile?.data.toString('utf8').match(PUBLIC_KEY_BLOCK)?.[0];
  return {
    from,
    subject: parsed.subject,
    messageId: parsed.messageId,
    text: parsed.text ?? '',
    pgpMimePayload,
    attachments: attachedKey === undefined ? attachments : attachments.filter((file) => file !== keyFile),
    offeredPublicKey: attachedKey ?? autocryptKey(headerText(parsed.headers.get('autocrypt')), from),
    autoSubmitted: isAutoSubmitted(parsed.headers),
  };
}
