/**
 * The HTML alternative of every outgoing plain mail, from one template: the
 * subject as heading, each paragraph of the text as a paragraph (its lines
 * kept), and http(s) addresses as links. Every value from the message is
 * escaped; nothing from it becomes markup other than these elements, and
 * links only ever point to http(s). Mails keep their plain-text body first
 * (multipart/alternative), so the HTML is never the only way to read them.
 */

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * For element content and double-quoted attribute values, the only places
 * this template puts text. Written here because the five replacements of
 * OWASP's rule are the whole job; no template engine is needed for one layout.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => entities[c]!);
}

const URL = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

/** Escapes a line and turns its http(s) addresses into links (the address is also the link text). */
function lineHtml(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(URL)) {
    html += escapeHtml(line.slice(last, match.index));
    const url = escapeHtml(match[0]);
    html += `<a href="${url}">${url}</a>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(line.slice(last));
}

export function htmlAlternative(subject: string, text: string): string {
  const paragraphs = text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map((block) => `<p style="margin:0 0 1em">${block.split('\n').map(lineHtml).join('<br>\n')}</p>`);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:40em;margin:0 auto;padding:1em">',
    `<h1 style="font-size:1.2em;margin:0 0 1em">${escapeHtml(subject)}</h1>`,
    ...paragraphs,
    '</body></html>',
  ].join('\n');
}
