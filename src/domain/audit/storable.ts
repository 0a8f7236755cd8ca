import type { JsonObject, JsonValue } from './canonical-json.ts';

/**
 * Audit values are stored as given, with one exception: PostgreSQL cannot
 * store NUL characters (in text or jsonb) nor unpaired UTF-16 surrogates
 * (node-postgres silently turns them into U+FFFD, jsonb refuses them). Left
 * alone, the first would make a crafted header abort the audited transaction
 * and the second would make the stored value differ from the hashed one. Both
 * are replaced by U+FFFD before hashing, so what is hashed is what is stored.
 */
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(value: string): string {
  return value.replace(unstorable, '\uFFFD');
}

export function storableNullableText(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : storableText(value);
}

function storableObject(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storableText(key), storableJsonValue(inner)]));
}

function storableJsonValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJsonValue);
  if (value !== null && typeof value === 'object') return storableObject(value);
  return value;
}

/**
 * Reduces details to plain JSON the way JSON.stringify would (dates become
 * ISO strings, undefined members disappear, non-finite numbers become null),
 * so that the hashed value equals the value read back from jsonb.
 */
export function storableDetails(details: Record<string, unknown> | undefined): JsonObject {
  if (details === undefined) return {};
  const plain = JSON.parse(JSON.stringify(details)) as JsonValue;
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) throw new TypeError('audit details must serialise to a JSON object');
  return storableObject(plain);
}
