import { describe, expect, it } from 'vitest';
import { PNG_1X1 } from '../../../test/support/multipart.ts';
import { OCTET_STREAM, deliveryContentType, normaliseDeclaredType, sniffContentType } from './attachment-type.ts';

describe('sniffContentType', () => {
  it.each([
    ['a PNG', PNG_1X1, 'image/png'],
    ['a PDF', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF', 'latin1'), 'application/pdf'],
    ['a zip', Buffer.from('504b0304140000000800', 'hex'), 'application/zip'],
    ['an ELF binary', Buffer.concat([Buffer.from('7f454c46020101', 'hex'), Buffer.alloc(64)]), 'application/x-elf'],
    ['a UTF-8 log', Buffer.from('2026-11-23 ERROR überlauf at 0x41414141\n'), 'text/plain'],
    ['an empty file', Buffer.alloc(0), 'text/plain'],
    ['text with a NUL', Buffer.from('abc\u0000def'), OCTET_STREAM],
    ['invalid UTF-8', Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x6f]), OCTET_STREAM],
    ['HTML', Buffer.from('\n  <!doctype html><html><script>alert(1)</script></html>'), 'text/html'],
    ['an HTML fragment', Buffer.from('<img src=x onerror=alert(1)>'), 'text/html'],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml'],
    ['SVG behind a BOM', Buffer.from('\uFEFF<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'],
    ['XML', Buffer.from('<?xml version="1.0"?><root/>'), 'application/xml'],
  ])('labels %s by its bytes', async (_label, data, expected) => {
    expect(await sniffContentType(data)).toBe(expected);
  });
});

describe('deliveryContentType', () => {
  it('serves only plain images and UTF-8 text as themselves', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) expect(deliveryContentType(type)).toBe(type);
    expect(deliveryContentType('text/plain')).toBe('text/plain; charset=utf-8');
  });

  it('serves anything a browser would render or run as opaque bytes', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/xml', 'text/xml', 'application/javascript', 'text/javascript', 'application/pdf', 'application/x-elf', 'image/bmp', OCTET_STREAM]) {
      expect(deliveryContentType(type)).toBe(OCTET_STREAM);
    }
  });
});

describe('normaliseDeclaredType', () => {
  it('keeps a bare type/subtype and nothing else', () => {
    expect(normaliseDeclaredType('Text/HTML; charset=utf-8')).toBe('text/html');
    expect(normaliseDeclaredType('image/svg+xml')).toBe('image/svg+xml');
    expect(normaliseDeclaredType(undefined)).toBeNull();
    expect(normaliseDeclaredType('')).toBeNull();
    expect(normaliseDeclaredType('not a type')).toBeNull();
    expect(normaliseDeclaredType('text/plain secret reporter words')).toBeNull();
    expect(normaliseDeclaredType(`a/${'b'.repeat(100)}`)).toBeNull();
  });
});
