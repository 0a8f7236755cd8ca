import fc from 'fast-check';

/**
 * Strings that have broken parsers, databases and renderers before: lone
 * surrogates, NUL, bidi overrides, zero-width and combining characters,
 * path and SQL metacharacters, header injection, prototype keys, numbers in
 * disguise. Mixed with fast-check's own full-Unicode strings.
 */
export const nastyStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uDC00y\uD83D',
  '\u202Eevil\u202C',
  '\u2066rtl\u2069',
  '\u200B\u200C\u200D\uFEFF',
  'e\u0301\u0301\u0301\u0301',
  '😀👩‍👩‍👧‍👦',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '%00',
  '%',
  '%zz',
  "' OR '1'='1' --",
  "'; drop table report; --",
  '$1',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '\r\nset-cookie: x=1',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  'true',
  'null',
  'undefined',
  '2026-02-30T25:61:61Z',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:4.0/AV:N',
  'CWE-',
  'https://127.0.0.1/',
  'http://[::1]:0/',
  'javascript:alert(1)',
  'mailto:a@b',
  'a@b',
  '@',
  'emb_pat_',
  'emb_rep_AAAA',
  'payqi',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '-----BEGIN PGP MESSAGE-----\n\nwcBMA\n-----END PGP MESSAGE-----',
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxsBN\n-----END PGP PUBLIC KEY BLOCK-----',
];

/** Longer than most fields allow; bodies past the size limits are made once per request in api-fuzz.ts, not in every string. */
const longString = fc.constantFrom(1_000, 5_000, 70_000).chain((n) => fc.constantFrom('A', '\u00e9', '😀', '\u0000', '\uD800').map((c) => c.repeat(n)));

export const adversarialString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...nastyStrings), fc.string({ unit: 'binary', maxLength: 8 })).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: longString },
);

const oddNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, -1, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, Number.MIN_VALUE, 0.1, 1.5));

/** Nested `depth` times: arrays or objects, the shape that exhausts recursive validators. */
export function deeplyNested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** Any JSON value, heavy on the adversarial leaves, plus very deep nesting. */
export const adversarialJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 6,
    arbitrary: fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        adversarialString,
        oddNumber,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(adversarialString, fc.constantFrom('__proto__', 'constructor', 'id', 'type', 'title')), tie('value'), { maxKeys: 4 }),
      ),
    })).value,
  },
  { weight: 1, arbitrary: fc.constantFrom(500, 2_000).chain((depth) => fc.constantFrom('array' as const, 'object' as const).map((kind) => deeplyNested(depth, kind))) },
);

/** The value a JSON schema describes, approximately: the right keys with plausible values, or an adversarial value in any place. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  additionalProperties?: boolean | JsonSchema;
}

function plausibleString(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'email':
      return fc.constantFrom('a@example.org', 'owner@example.org', 'x@y');
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'uri':
      return fc.constantFrom('https://example.org/x', 'http://127.0.0.1/', 'https://example.org/hook');
    default: {
      const plain = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
      // A well-typed string with one hostile character inside gets past validation and into storage and renderers.
      const spiced = fc.tuple(plain, fc.constantFrom('\u0000', '\u202E', '\uD800', '\uFEFF', "'", '\\', '%', '\n'), plain).map(([a, c, b]) => `${a || 'x'}${c}${b}`);
      return fc.oneof({ weight: 3, arbitrary: plain }, { weight: 1, arbitrary: spiced });
    }
  }
}

/** Schema-guided values: mostly well-typed, so requests get past the first validation step and into the handlers. */
export function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return adversarialJson;
  const guided = guidedFromSchema(schema, depth);
  // One in eight values anywhere in the tree is replaced by something hostile.
  return fc.oneof({ weight: 7, arbitrary: guided }, { weight: 1, arbitrary: adversarialJson });
}

function guidedFromSchema(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return fromSchema(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = fromSchema(value, depth + 1);
      const required = (schema.required ?? []).filter((k) => k in properties);
      return fc.tuple(fc.record(record, { requiredKeys: required }), fc.dictionary(adversarialString, adversarialJson, { maxKeys: 1 }), fc.nat(9)).map(([value, extra, dice]) => (dice === 0 ? { ...value, ...extra } : value));
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 4 });
    case 'string':
      return plausibleString(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return adversarialJson;
  }
}

/** Header values a client may send at all (Node refuses control characters and non-Latin-1 before anything is sent). */
export const headerText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 30 }),
  fc.constantFrom('', ' ', '"', 'W/', '*', ',,,', 'a'.repeat(20_000), '%00', 'null', '-1'),
);
