/**
 * Canonical JSON as in RFC 8785 (JCS), for values that are already plain
 * JSON: object keys sorted by UTF-16 code units at every depth, no
 * whitespace, strings and numbers serialised exactly as ECMAScript's
 * JSON.stringify does. The same value always gives the same bytes, whatever
 * order its keys were built or stored in (jsonb reorders them).
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    // Array.prototype.sort without a comparator compares UTF-16 code units, which is what RFC 8785 requires.
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`${value} has no JSON representation`);
  return JSON.stringify(value);
}
