/**
 * Small Markdown building blocks. Policy prose fields are Markdown already and
 * are inserted as written; short values (labels, names, table cells) are plain
 * text and are escaped so a `|` or `*` in a version label cannot break the layout.
 */

const inlineSpecials = /[\\`*_[\]<>|~#]/g;

/** Plain text to inline Markdown: every character with a Markdown meaning is backslash-escaped. */
export function escapeInline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(inlineSpecials, (character) => `\\${character}`);
}

/** A Markdown table; cells are plain text and escaped. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeInline).join(' | ')} |`;
  const rule = `| ${headers.map((header) => '-'.repeat(Math.max(3, header.length))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Parentheses and spaces would end a link destination early. */
function linkDestination(url: string): string {
  return url.replace(/[()\s]/g, (character) => encodeURIComponent(character));
}

export function link(text: string, url: string): string {
  return `[${escapeInline(text)}](${linkDestination(url)})`;
}

export function bulletList(items: readonly string[]): string {
  return items.map((item) => `- ${indentContinuation(item)}`).join('\n');
}

export function numberedList(items: readonly string[]): string {
  return items.map((item, index) => `${index + 1}. ${indentContinuation(item, `${index + 1}. `.length)}`).join('\n');
}

/** Keeps multi-line items inside their list item. */
function indentContinuation(item: string, width = 2): string {
  return item.replace(/\n(?=.)/g, `\n${' '.repeat(width)}`);
}

/** A section: heading plus non-empty blocks, separated by blank lines. */
export function section(level: 2 | 3, title: string, blocks: ReadonlyArray<string | undefined>): string {
  const body = blocks.filter((block): block is string => block !== undefined && block !== '');
  return [`${'#'.repeat(level)} ${escapeInline(title)}`, ...body].join('\n\n');
}
