import { describe, expect, it } from 'vitest';
import { renderMarkdownSafely } from './markdown-html.ts';

describe('safe Markdown rendering', () => {
  it('renders ordinary Markdown', () => {
    expect(renderMarkdownSafely('**bold** and `code`\n\n- a\n- b')).toBe('<p><strong>bold</strong> and <code>code</code></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
    expect(renderMarkdownSafely('[docs](https://example.org)')).toBe('<p><a href="https://example.org" rel="noopener noreferrer nofollow" target="_blank">docs</a></p>\n');
  });

  it.each([
    ['<script>alert(1)</script>', /<script/],
    ['<img src=x onerror=alert(1)>', /<img|onerror="/],
    ['[x](javascript:alert(1))', /href="javascript/],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', /href="data:/],
    ['<svg onload=alert(1)><circle/></svg>', /<svg/],
    ['![tracker](https://evil.example/pixel.png)', /<img/],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/],
    ['<p style="background:url(https://evil.example)">x</p>', /style=/],
  ])('renders %s inert', (input, forbidden) => {
    expect(renderMarkdownSafely(input)).not.toMatch(forbidden);
  });
});
