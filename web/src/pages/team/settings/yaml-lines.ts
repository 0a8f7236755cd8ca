import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

/** `security_txt.contact[1].uri` → ['security_txt', 'contact', 1, 'uri']: the paths the API reports. */
export function pathSegments(path: string): Array<string | number> {
  if (path === '(root)') return [];
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/**
 * The line (1-based) a validation error belongs at: the deepest node of the
 * path that exists in the text (a missing key is shown at its parent), found
 * with the yaml library's node ranges, as the server's linter does.
 */
export function lineOfPath(text: string, path: string): number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of pathSegments(path)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  return (node as YamlNode | null | undefined)?.range?.[0];
}

export interface LintMessage {
  line: number | undefined;
  path: string;
  message: string;
}

/** Places each problem at its line: from the path, else the position the server wrote into the message (YAML syntax errors). */
export function placeProblems(text: string, details: ReadonlyArray<{ path: string; message: string }>): LintMessage[] {
  return details.map((d) => {
    const written = /\(line (\d+), column \d+\)/.exec(d.message);
    const line = d.path === '(root)' && written ? Number(written[1]) : (lineOfPath(text, d.path) ?? (written ? Number(written[1]) : undefined));
    return { line, path: d.path, message: d.message.replace(/ \(line \d+, column \d+\)$/, '') };
  });
}
