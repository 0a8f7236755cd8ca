import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Thread messages are Markdown from reporters and the team: rendered with
 * marked, then cleaned with sanitize-html to a short allow-list. No raw
 * HTML survives, links may only be http(s) or mailto and open with
 * rel="noopener noreferrer nofollow", and images are dropped (a remote image
 * would tell its host who read the report, and when).
 */
const marked = new Marked({ gfm: true, breaks: true, async: false });

const allowList: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href'], code: ['class'] },
  allowedClasses: { code: [/^language-[a-z0-9+-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};
allowList.allowedAttributes = { ...allowList.allowedAttributes, a: ['href', 'rel', 'target'] };

export function renderMarkdownSafely(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown) as string, allowList);
}
