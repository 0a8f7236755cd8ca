import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PageWatch } from './browser.ts';

/** What a payload does if it ever runs: a flag the page can be asked about, and a dialog the watch records. */
const RUN = 'window.__pwned=1;alert(1)';

export const SCRIPT = `<script>${RUN}</script>`;
export const IMG = `<img src=x onerror="${RUN}">`;
export const JS_URL = 'javascript:window.__pwned=1';

/**
 * Markdown that renderers have been known to turn into live links: images
 * and autolinks with script schemes, entity-encoded and tab-split schemes
 * (Markdown decodes entities in link targets), data: documents, and raw HTML
 * links hiding the scheme behind an entity.
 */
export const MARKDOWN_TRICKS = [
  '![pic](javascript:window.__pwned=1)',
  '<javascript:window.__pwned=1>',
  '[entity](jav&#x61;script:window.__pwned=1)',
  '[tabbed](java\tscript:window.__pwned=1)',
  '[data doc](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="jav&#x61;script:window.__pwned=1">raw entity link</a>',
  '[ref link][r]\n\n[r]: javascript:window.__pwned=1',
].join('\n\n');

/**
 * Every URL-bearing attribute in the body, resolved as the browser would
 * follow it (the URL parser strips tabs and control characters, so a split
 * or padded scheme is caught), must be http(s), mailto or a blob the page
 * made; no event-handler attribute and no script, frame or plugin element
 * may exist; nothing ran and nothing was even tried (CSP reports attempts).
 */
const scan = `(() => {
  const problems = [];
  for (const element of document.body.querySelectorAll('*')) {
    for (const { name, value } of element.attributes) {
      if (name.startsWith('on')) problems.push(element.tagName + ' ' + name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'srcdoc'].includes(name)) {
        let protocol = 'unparsable:';
        try { protocol = new URL(value, document.baseURI).protocol; } catch {}
        if (name === 'srcdoc' || !['http:', 'https:', 'mailto:', 'blob:'].includes(protocol)) problems.push(element.tagName + ' ' + name + '=' + value);
      }
    }
  }
  for (const element of document.body.querySelectorAll('script, iframe, frame, object, embed')) problems.push(element.tagName);
  return { problems, pwned: window.__pwned ?? null };
})()`;

export async function expectInert(page: Page, watch: PageWatch): Promise<void> {
  expect(await page.evaluate(scan)).toEqual({ problems: [], pwned: null });
  expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
}
