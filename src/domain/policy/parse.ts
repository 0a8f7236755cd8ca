/**
 * Reading and writing policy files. Every problem is reported at once, with
 * the dotted path of the field and its line and column, so `embargo policy
 * lint` can list them all instead of failing on the first.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { EmbargoError, formatPath } from '../../errors.ts';
import type { ErrorDetail } from '../../errors.ts';
import { scanText } from '../text/nul-characters.ts';
import { flattenIssues } from './issues.ts';
import { policySchema } from './schema.ts';
import type { Policy } from './schema.ts';
import { policyToInput } from './serialize.ts';

export type PolicyLintResult = { ok: true; policy: Policy } | { ok: false; details: ErrorDetail[] };

export function lintPolicyYaml(text: string): PolicyLintResult {
  const lineCounter = new LineCounter();
  // prettyErrors off: the message stays one line and the position is added below in a single style.
  if (text.includes('\u0000')) return { ok: false, details: [{ path: '(root)', message: 'The policy file contains the NUL character (U+0000)' }] };
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    return {
      ok: false,
      details: yamlProblems.map((problem) => ({ path: '(root)', message: withPosition(problem.message, lineCounter, problem.pos[0]) })),
    };
  }
  if (doc.contents === null) return { ok: false, details: [{ path: '(root)', message: 'The policy document is empty' }] };

  let data: unknown;
  try {
    // A low alias limit stops a small file from expanding into a huge one ("billion laughs").
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The yaml library throws, rather than reports, an alias without its anchor and an alias count past the limit.
    if (error instanceof ReferenceError) return { ok: false, details: [{ path: '(root)', message: error.message }] };
    throw error;
  }
  // PostgreSQL cannot store NUL: a `"\0"` escape in a value would otherwise fail only when the policy is saved.
  const { nulPaths, tooDeepAt } = scanText(data);
  if (tooDeepAt !== undefined) return { ok: false, details: [{ path: tooDeepAt, message: 'Is nested too deeply' }] };
  if (nulPaths.length > 0) return { ok: false, details: nulPaths.map((path) => ({ path, message: 'Must not contain the NUL character (U+0000)' })) };
  const result = policySchema.safeParse(data);
  if (result.success) return { ok: true, policy: result.data };
  return {
    ok: false,
    details: flattenIssues(result.error.issues).map((issue) => ({
      path: formatPath(issue.path),
      message: withPosition(issue.message, lineCounter, offsetOf(doc, issue.path)),
    })),
  };
}

/** Parses and validates a policy; throws `invalid_policy` listing every problem. */
export function parsePolicyYaml(text: string, source?: string): Policy {
  const result = lintPolicyYaml(text);
  if (result.ok) return result.policy;
  const count = `${result.details.length} problem${result.details.length === 1 ? '' : 's'}`;
  const subject = source === undefined ? 'The policy' : source;
  throw new EmbargoError('invalid_policy', `${subject} is not a valid security policy (${count})`, result.details);
}

/** Writes a policy back as YAML in its written forms (`48 hours`, `default:` for a uniform fix target). */
export function serializePolicyYaml(policy: Policy): string {
  return stringify(policyToInput(policy), { lineWidth: 0 });
}

function withPosition(message: string, lineCounter: LineCounter, offset: number | undefined): string {
  if (offset === undefined) return message;
  const { line, col } = lineCounter.linePos(offset);
  return `${message} (line ${line}, column ${col})`;
}

/**
 * Source offset of the deepest node on `path` that exists: the key of a
 * mapping entry (its line is where the reader looks), the item of a list. A
 * missing key is reported at its parent.
 */
function offsetOf(doc: Document, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === segment);
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as YamlNode | null | undefined)?.range?.[0];
}
