import { formatPath } from '../../errors.ts';

/** Deeper than any document Embargo takes (advisory content nests about five levels). */
export const MAX_NESTING_DEPTH = 64;

export interface TextScan {
  /** Paths (`body.labels[0]`, or `(root)`) of every string, keys included, that holds U+0000. */
  nulPaths: string[];
  /** The first place nested deeper than MAX_NESTING_DEPTH, where the scan stopped. */
  tooDeepAt: string | undefined;
}

/**
 * PostgreSQL cannot store NUL in `text` or `jsonb`, so such a value fails
 * deep in a query (a 500) unless it is refused at the edge with its path; it
 * is also the classic way to cut a string short in tools written in C.
 * Iterative with a depth bound: a body of 60 000 nested arrays is valid JSON
 * and must not overflow the stack here or in anything that walks it later.
 */
export function scanText(value: unknown, prefix: ReadonlyArray<PropertyKey> = []): TextScan {
  const nulPaths: string[] = [];
  const stack: Array<{ node: unknown; path: PropertyKey[] }> = [{ node: value, path: [...prefix] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) nulPaths.push(formatPath(path));
      continue;
    }
    if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) continue;
    if (path.length - prefix.length >= MAX_NESTING_DEPTH) return { nulPaths, tooDeepAt: formatPath(path) };
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(node) ? node.map((item, index) => [index, item]) : Object.entries(node);
    for (const [key, item] of entries.reverse()) {
      // A NUL in a key is reported at the key, shown escaped so the path stays readable.
      const shown = typeof key === 'string' ? key.replaceAll('\u0000', '\\u0000') : key;
      if (shown !== key) nulPaths.push(formatPath([...path, shown]));
      stack.push({ node: item, path: [...path, shown] });
    }
  }
  return { nulPaths, tooDeepAt: undefined };
}
