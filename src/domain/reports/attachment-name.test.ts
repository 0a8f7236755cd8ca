import { describe, expect, it } from 'vitest';
import { FALLBACK_FILENAME, MAX_FILENAME_BYTES, asciiFallback, attachmentDisposition, sanitiseFilename } from './attachment-name.ts';

describe('sanitiseFilename', () => {
  it.each([
    ['poc.py', 'poc.py'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['C:\\Users\\me\\Desktop\\crash.log', 'crash.log'],
    ['evil.php%00.png', 'evil_php_00.png'],
    ['evil.php\u0000.png', 'evil_php.png'],
    ['shell.php.jpg', 'shell_php.jpg'],
    ['.htaccess', 'htaccess'],
    ['...', FALLBACK_FILENAME],
    ['', FALLBACK_FILENAME],
    ['/', FALLBACK_FILENAME],
    ['.png', 'png'],
    ['trailing dots. . .', 'trailing dots'],
    ['CON.txt', '_CON.txt'],
    ['nul', '_nul'],
    ['com1.log', '_com1.log'],
    ['console.log', 'console.log'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['tab\tand\nnewline.txt', 'tabandnewline.txt'],
    ['archive.tar.gz', 'archive_tar.gz'],
    ['no-extension', 'no-extension'],
    ['weird.ext-with-dash', 'weird_ext-with-dash'],
  ])('%j becomes %j', (raw, expected) => {
    expect(sanitiseFilename(raw)).toBe(expected);
  });

  it('removes bidi overrides, so the real extension shows', () => {
    // Displays as "invoiceexe.png" in a right-to-left-aware file manager.
    expect(sanitiseFilename('invoice\u202Egnp.exe')).toBe('invoicegnp.exe');
    expect(sanitiseFilename('report\u2067\u2066.pdf\u2069.exe')).toBe('report_pdf.exe');
    // Every invisible format character goes, joiners included: two names that look alike should be alike.
    expect(sanitiseFilename('zero\u200Bwidth\uFEFF\u200D.txt')).toBe('zerowidth.txt');
  });

  it('keeps ordinary unicode, normalised to NFC', () => {
    expect(sanitiseFilename('re\u0301sume\u0301 報告.txt')).toBe('résumé 報告.txt');
    expect(sanitiseFilename('Отчёт об ошибке.md')).toBe('Отчёт об ошибке.md');
  });

  it('cuts long names to 200 bytes on a grapheme boundary and keeps the extension', () => {
    const long = sanitiseFilename(`${'é'.repeat(150)}.txt`);
    expect(Buffer.byteLength(long, 'utf8')).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(long).toMatch(/^é+\.txt$/);
    // ä + combining acute: one grapheme of two code points, four bytes; never split in the middle.
    const combining = sanitiseFilename(`${'a\u0308\u0301'.repeat(60)}.txt`);
    expect(combining).toBe(`${'\u00e4\u0301'.repeat(49)}.txt`);
    const emoji = sanitiseFilename(`${'🐛'.repeat(60)}.log`);
    expect(emoji).toBe(`${'🐛'.repeat(49)}.log`);
  });

  it('is idempotent', () => {
    for (const raw of ['../../etc/passwd', 'evil.php%00.png', 'invoice\u202Egnp.exe', 'CON.txt', `${'x'.repeat(300)}.bin`]) {
      const once = sanitiseFilename(raw);
      expect(sanitiseFilename(once)).toBe(once);
    }
  });
});

describe('attachmentDisposition', () => {
  it('is always an attachment, with an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 5987)', () => {
    expect(attachmentDisposition('poc.png')).toBe(`attachment; filename="poc.png"; filename*=UTF-8''poc.png`);
    expect(attachmentDisposition('résumé 報告.txt')).toBe(`attachment; filename="resume __.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E5%A0%B1%E5%91%8A.txt`);
    expect(attachmentDisposition("it's (1)*.txt")).toBe(`attachment; filename="it's (1)*.txt"; filename*=UTF-8''it%27s%20%281%29%2A.txt`);
  });

  it('never lets a quote, backslash or line break out of the header value', () => {
    expect(asciiFallback('a"b\\c')).toBe('a_b_c');
    expect(asciiFallback('報告')).toBe('__');
    expect(asciiFallback('')).toBe(FALLBACK_FILENAME);
    expect(attachmentDisposition(sanitiseFilename('x"\r\nSet-Cookie: a=b.txt'))).not.toMatch(/[\r\n]/);
  });
});
