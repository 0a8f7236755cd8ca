import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlAlternative } from './html-mail.ts';

describe('the HTML alternative of a plain mail', () => {
  it('escapes markup in the subject and body and keeps paragraphs and lines', () => {
    const html = htmlAlternative(`Report <b>"x"</b>`, `First & <script>alert('1')</script>\nsecond line\n\nNext paragraph`);
    expect(html).toContain('<title>Report &lt;b&gt;&quot;x&quot;&lt;/b&gt;</title>');
    expect(html).toContain('First &amp; &lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;<br>\nsecond line</p>');
    expect(html).toContain('>Next paragraph</p>');
    expect(html).not.toMatch(/<script|<b>/);
  });

  it('links http(s) addresses only, with the address escaped in both places, and leaves trailing punctuation out', () => {
    const html = htmlAlternative('s', 'Open https://embargo.test/portal?a=1&b=2. Or javascript:alert(1) or "https://x.test/"onmouseover=1');
    expect(html).toContain('<a href="https://embargo.test/portal?a=1&amp;b=2">https://embargo.test/portal?a=1&amp;b=2</a>.');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('&quot;<a href="https://x.test/">https://x.test/</a>&quot;onmouseover=1');
  });

  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
