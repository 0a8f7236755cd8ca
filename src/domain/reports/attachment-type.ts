import { isUtf8 } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';

/**
 * What an attachment is, judged by its bytes, never by the type the uploader
 * declared (a PNG declared `text/html` is a PNG; HTML declared `image/png` is
 * HTML). Pure: no I/O, only the buffer.
 */
export const OCTET_STREAM = 'application/octet-stream';

/**
 * The only types served as themselves. Everything else (HTML, SVG, XML,
 * JavaScript, PDF, archives, unknown bytes) is served as
 * `application/octet-stream`, so no browser renders or runs it even if a
 * download is opened directly.
 */
const SERVED_AS_IS = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'text/plain']);

/** Text is only text when it is valid UTF-8 without NUL bytes (NUL marks binary, and truncates strings in C tools). */
function isPlainUtf8(data: Uint8Array): boolean {
  return !data.includes(0) && isUtf8(data);
}

/**
 * file-type reads magic numbers of binary formats only; markup is text that a
 * browser would still render. Text starting with `<` (after a BOM and
 * whitespace) is labelled as the markup it looks like, so the stored type
 * tells the team what it is and delivery never treats it as plain text.
 */
function markupType(text: string): string | undefined {
  const start = text.replace(/^\uFEFF?\s*/u, '').slice(0, 4096).toLowerCase();
  if (!start.startsWith('<')) return undefined;
  if (start.includes('<svg')) return 'image/svg+xml';
  if (start.startsWith('<?xml')) return 'application/xml';
  return 'text/html';
}

export async function sniffContentType(data: Uint8Array): Promise<string> {
  const detected = await fileTypeFromBuffer(data);
  if (detected) return detected.mime;
  if (!isPlainUtf8(data)) return OCTET_STREAM;
  return markupType(new TextDecoder('utf-8').decode(data.subarray(0, 16 * 1024))) ?? 'text/plain';
}

/** The `Content-Type` of a download: the sniffed type if it is on the short safe list, else opaque bytes. */
export function deliveryContentType(sniffed: string): string {
  if (!SERVED_AS_IS.has(sniffed)) return OCTET_STREAM;
  // The sniffer only says text/plain for valid UTF-8, so the charset is known rather than left to guessing.
  return sniffed === 'text/plain' ? 'text/plain; charset=utf-8' : sniffed;
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

/**
 * The uploader's declared type, kept for the team's information (a lie is a
 * signal) but reduced to a bare `type/subtype`: stored in clear, it must not
 * carry free text from the reporter. Anything else is dropped.
 */
export function normaliseDeclaredType(declared: string | undefined): string | null {
  const bare = declared?.split(';')[0]?.trim().toLowerCase() ?? '';
  return MEDIA_TYPE.test(bare) ? bare : null;
}
