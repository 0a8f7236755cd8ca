/**
 * Attachment filenames come from the reporter and end up in the team's
 * download dialogs and on their disks. They are made harmless once, at
 * upload, and stored sealed in that form:
 *
 * - only the last path segment is kept (`../../etc/passwd` → `passwd`);
 * - control, format (bidi overrides, zero-width) and line-separator characters
 *   go, so `invoice\u202Egnp.exe` cannot pose as `invoiceexe.png`;
 * - characters Windows refuses or that invite decoding tricks (`<>:"|?*%`)
 *   become `_`, so `evil.php%00.png` cannot be read as `evil.php` anywhere;
 * - only the last extension survives, and only if it is plain ASCII
 *   alphanumerics; dots in the stem become `_`, so `evil.php.png` is not a
 *   double extension for a server that honours the first one;
 * - leading dots (hidden files), trailing dots and spaces (stripped by
 *   Windows) and reserved device names (`CON`, `NUL`, `COM1`…) are defused;
 * - at most 200 bytes of UTF-8, cut on a grapheme boundary, extension kept.
 *
 * Anything left empty becomes `attachment.bin`.
 */
export const MAX_FILENAME_BYTES = 200;
export const FALLBACK_FILENAME = 'attachment.bin';

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Cn}]/gu;
const WINDOWS_FORBIDDEN = /[<>:"|?*%]/g;
const SAFE_EXTENSION = /^[A-Za-z0-9]{1,16}$/;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

export function sanitiseFilename(raw: string): string {
  const lastSegment = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .normalize('NFC')
    .replace(UNSAFE, '')
    .replace(WINDOWS_FORBIDDEN, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '');
  const dot = cleaned.lastIndexOf('.');
  const candidate = dot > 0 ? cleaned.slice(dot + 1) : '';
  const extension = SAFE_EXTENSION.test(candidate) ? candidate : '';
  let stem = (extension ? cleaned.slice(0, dot) : cleaned).replace(/\./g, '_').trim();
  if (stem === '') return extension ? `attachment.${extension}` : FALLBACK_FILENAME;
  if (RESERVED.test(stem)) stem = `_${stem}`;
  return withinBytes(stem, extension ? `.${extension}` : '');
}

/** Drops whole graphemes from the end of the stem until stem + suffix fits. */
function withinBytes(stem: string, suffix: string): string {
  const budget = MAX_FILENAME_BYTES - Buffer.byteLength(suffix, 'utf8');
  if (Buffer.byteLength(stem, 'utf8') <= budget) return stem + suffix;
  let kept = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(stem)) {
    const size = Buffer.byteLength(segment, 'utf8');
    if (used + size > budget) break;
    kept += segment;
    used += size;
  }
  kept = kept.trimEnd();
  return kept === '' ? FALLBACK_FILENAME : kept + suffix;
}

/** RFC 5987 attr-char: encodeURIComponent also leaves `'()*` alone, which attr-char does not allow. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A printable-ASCII stand-in for clients that ignore `filename*`: accents dropped, anything else `_`. */
export function asciiFallback(filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return ascii.trim() === '' ? FALLBACK_FILENAME : ascii;
}

/**
 * `Content-Disposition` for a download (RFC 6266): always `attachment`, never
 * `inline`, with an ASCII `filename` and the exact name in `filename*`.
 */
export function attachmentDisposition(filename: string): string {
  return `attachment; filename="${asciiFallback(filename)}"; filename*=UTF-8''${encodeRfc5987(filename)}`;
}
