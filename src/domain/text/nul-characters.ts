import { formatPath } from '../../errors.ts';

/**
 * Paths (`body.labels[0]`, or `(root)`) of every string in `value`, keys
 * included, that holds U+0000. PostgreSQL cannot store NUL in `text` or
 * `jsonb`, so such a value fails deep in a query (a 500) unless it is refused
 * at the edge with its path; it is also the classic way to cut a string short
 * in tools written in C.
 */
export function nulCharacterPaths(value: unknown, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  const found: string[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (typeof node === 'string') {
      if (node.includes('\u0000')) found.push(formatPath(path));
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (node !== null && typeof node === 'object' && !ArrayBuffer.isView(node)) {
      for (const [key, item] of Object.entries(node)) {
        // A NUL in a key is reported at the key, with the NUL shown escaped so the path stays readable.
        visit(item, [...path, key.replaceAll('\u0000', '\\u0000')]);
        if (key.includes('\u0000')) found.push(formatPath([...path, key.replaceAll('\u0000', '\\u0000')]));
      }
    }
  };
  visit(value, [...prefix]);
  return found;
}
