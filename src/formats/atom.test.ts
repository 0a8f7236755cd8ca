import { describe, expect, it } from 'vitest';
import { base, multiPackage, noSeverity, withdrawn } from './fixtures/advisories.ts';
import { renderAtom, xmlText } from './atom.ts';

/**
 * A small well-formedness check (Node has no XML parser): after the prolog,
 * every tag must close in order, every `&` must start a known or numeric
 * entity, and no raw `<` may appear inside text or attribute values.
 */
function wellFormedProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(body)) problems.push('bare ampersand');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const match of body.matchAll(tag)) {
    if (body.slice(last, match.index).includes('<')) problems.push(`stray < before ${match[0]}`);
    last = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    if (selfClosing) continue;
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
  }
  if (body.slice(last).trim() !== '') problems.push('text after the root element');
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
  return problems;
}

const hostile = {
  ...base,
  id: 'PAYQI-2026-0010',
  title: '</title><script>alert("x")</script> & <b>bold</b>',
  summary: "It's <img src=x onerror=alert(1)> \u0007with a bell\u0000 and a lone \uD800 surrogate",
};

const feed = (entries: Parameters<typeof renderAtom>[0]['entries']) =>
  renderAtom({ id: 'https://payqi.example/advisories.atom', title: 'Payqi advisories', selfUrl: 'https://payqi.example/advisories.atom?x=1&y=2', updated: '2026-02-10T12:00:00Z', entries });

describe('renderAtom', () => {
  it('produces a well-formed Atom feed', () => {
    const xml = feed([base, multiPackage, noSeverity, withdrawn].map((advisory) => ({ advisory, url: `https://payqi.example/advisories/${advisory.id}` })));
    expect(wellFormedProblems(xml)).toEqual([]);
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
    expect(xml.match(/<entry>/g)).toHaveLength(4);
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="https://payqi.example/advisories.atom?x=1&amp;y=2"/>');
    expect(xml).toContain('<updated>2026-02-10T12:00:00.000Z</updated>');
  });

  it('describes each advisory: id, link, dates, author, severity and a text summary', () => {
    const xml = feed([{ advisory: multiPackage, url: 'https://payqi.example/advisories/PAYQI-2026-0004' }]);
    expect(xml).toContain('<title type="text">PAYQI-2026-0004: SQL injection in the export endpoint</title>');
    expect(xml).toContain('<published>2026-01-10T10:00:00.000Z</published>');
    expect(xml).toContain('<updated>2026-02-03T08:30:00.000Z</updated>');
    expect(xml).toContain('<author><name>Payqi Ltd</name></author>');
    expect(xml).toContain('<category term="high" label="Severity: high"/>');
    expect(xml).toContain(`<summary type="text">${multiPackage.summary}</summary>`);
  });

  it('says when an advisory was withdrawn and why', () => {
    const xml = feed([{ advisory: withdrawn, url: 'https://payqi.example/advisories/PAYQI-2026-0008' }]);
    expect(xml).toContain('<title type="text">[Withdrawn] PAYQI-2026-0008: SQL injection in the export endpoint</title>');
    expect(xml).toContain(`<summary type="text">${xmlText(withdrawn.withdrawn!.reason)}`);
  });

  it('escapes hostile titles and summaries and drops characters XML cannot hold', () => {
    const xml = feed([{ advisory: hostile, url: 'https://payqi.example/advisories/x?a=1&b="2"' }]);
    expect(wellFormedProblems(xml)).toEqual([]);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(xml).toContain('href="https://payqi.example/advisories/x?a=1&amp;b=&quot;2&quot;"');
    expect(xml).toContain('It&apos;s &lt;img src=x onerror=alert(1)&gt; with a bell and a lone  surrogate');
  });

  it('keeps valid astral characters', () => {
    expect(xmlText('emoji 🔒 ok')).toBe('emoji 🔒 ok');
  });

  it('names the feed author when given, for a feed without entries', () => {
    const xml = renderAtom({ id: 'urn:x', title: 'Empty', selfUrl: 'https://payqi.example/a.atom', updated: '2026-01-01T00:00:00Z', author: 'Payqi Ltd', entries: [] });
    expect(wellFormedProblems(xml)).toEqual([]);
    expect(xml).toContain('<author><name>Payqi Ltd</name></author>');
  });
});
