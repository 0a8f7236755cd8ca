import fc from 'fast-check';
import { sql } from 'kysely';
import { errorCodes, type ErrorCode } from '../../src/errors.ts';
import type { App } from '../../src/http/app.ts';
import type { Db } from '../../src/storage/database.ts';
import { adversarialJson, adversarialString, fromSchema, headerText, type JsonSchema } from './arbitraries.ts';

/** A route as registered, with the request schemas the OpenAPI document derives from its zod schemas. */
export interface FuzzRoute {
  method: string;
  url: string;
  body: JsonSchema | undefined;
  query: Array<{ name: string; schema: JsonSchema }>;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** Who the request claims to be. */
export interface FuzzCredentials {
  owner: Record<string, string>;
  ownerSession: Record<string, string>;
  reporter: Record<string, string>;
}

/** Values the server knows, so path parameters reach real objects as often as they miss. */
export type KnownParams = Record<string, string[]>;

/**
 * Routes that would end the credentials the fuzzer signs in with (logout,
 * token rotation and revocation): fuzzed without valid credentials only, so
 * one lucky request does not turn the rest of the run into 401s.
 */
const ENDS_CREDENTIALS = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/logout-everywhere', 'POST /api/v1/portal/token/rotate', 'POST /api/v1/reports/:reportId/reporter-access/revoke']);

/** Every registered route (HEAD aside), joined with its OpenAPI request schemas. */
export function fuzzRoutes(app: App): FuzzRoute[] {
  const document = app.swagger() as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; parameters?: Array<{ in: string; name: string; schema?: JsonSchema }> }>> };
  return app.routeAccess
    .filter((r) => r.method !== 'HEAD')
    .map(({ method, url }) => {
      const operation = document.paths?.[url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
      const content = operation?.requestBody?.content ?? {};
      const body = content['application/json']?.schema ?? content['multipart/form-data']?.schema;
      const query = (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} }));
      return { method, url, body, query };
    });
}

/** Percent-encodes UTF-8 bytes; lone surrogates become U+FFFD as any client would send them. */
function encodeSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

const rawSegments = fc.constantFrom('%', '%zz', '%c0%ae', '..', '.', '%2e%2e', '%00', '%FF%FE', '%ED%A0%80', '', 'a%2Fb', ';x=1', '*');

function paramValue(name: string, known: KnownParams): fc.Arbitrary<string> {
  const knownValues = known[name] ?? [];
  return fc.oneof(
    ...(knownValues.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...knownValues) }] : []),
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: adversarialString.filter((s) => s.length < 5_000).map(encodeSegment) },
    { weight: 1, arbitrary: rawSegments },
  );
}

function pathFor(url: string, known: KnownParams): fc.Arbitrary<string> {
  const names = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  if (names.length === 0) return fc.constant(url);
  return fc.tuple(...names.map((name) => paramValue(name, known))).map((values) => {
    let i = 0;
    return url.replace(/:([A-Za-z]+)/g, () => values[i++]!);
  });
}

function queryFor(route: FuzzRoute): fc.Arbitrary<string> {
  const named = route.query.map((q) => fc.tuple(fc.constant(q.name), fc.oneof(fromSchema(q.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')), adversarialString.filter((s) => s.length < 5_000))));
  const pair = fc.oneof(...named, fc.tuple(adversarialString.filter((s) => s.length < 200), adversarialString.filter((s) => s.length < 5_000)));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&')}`) },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?a', '?a=1&a=2&a=3', '?%zz=1', `?x=${'a'.repeat(100_000)}`, '?limit=-1', '?limit=1e9', '?before=not-a-date', '?q=%00') },
  );
}

function authFor(route: FuzzRoute, credentials: FuzzCredentials): fc.Arbitrary<Record<string, string>> {
  const valid = ENDS_CREDENTIALS.has(`${route.method} ${route.url}`) ? [] : [credentials.owner, credentials.ownerSession, credentials.reporter].map((c) => ({ weight: 4, arbitrary: fc.constant(c) }));
  const bad = fc.oneof(
    fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer emb_pat_', 'Bearer emb_rep_', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'Bearer ====', `Bearer ${'a'.repeat(50_000)}`).map((authorization) => ({ authorization })),
    headerText.map((t) => ({ authorization: `Bearer ${t}` })),
    fc.constantFrom('emb_pat_', 'emb_rep_', '').chain((prefix) => fc.base64String({ maxLength: 60 }).map((t) => ({ authorization: `Bearer ${prefix}${t}` }))),
    headerText.map((t) => ({ cookie: `__Host-embargo_session=${t}` })),
    fc.constantFrom('a=b; ; =; __Host-embargo_session', '__Host-embargo_session=', '__Host-embargo_session=x; __Host-embargo_session=y', `__Host-embargo_session=${'%'.repeat(3000)}`).map((cookie) => ({ cookie })),
    fc.constant({ cookie: credentials.ownerSession.cookie ?? '' }), // the session without its CSRF token
    fc.tuple(fc.constant(credentials.ownerSession.cookie ?? ''), headerText).map(([cookie, csrf]) => ({ cookie, 'x-csrf-token': csrf })),
  );
  return fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 3, arbitrary: bad }, ...valid);
}

const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('if-none-match', 'idempotency-key', 'accept', 'accept-encoding', 'x-forwarded-for', 'origin', 'x-request-id', 'x-fuzz', 'range', 'if-modified-since', 'user-agent'),
  headerText,
  { maxKeys: 3 },
);

function multipartFor(schema: JsonSchema | undefined): fc.Arbitrary<{ payload: Buffer; contentType: string }> {
  const field = (name: string, value: string, type?: string) => `Content-Disposition: form-data; name="${name}"${type ? `\r\nContent-Type: ${type}` : ''}\r\n\r\n${value}`;
  const file = (name: string, filename: string, data: string) => `Content-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${data}`;
  const fields = fc.oneof(fromSchema(schema).map((v) => field('report', JSON.stringify(v))), fc.constant(field('report', '{not json')), fc.constant(field('report', '{"a":', 'application/json')), fc.constant(field('message', 'hi')), adversarialString.filter((s) => s.length < 2_000).map((s) => field(s.replace(/"/g, ''), s)));
  const files = fc.oneof(
    fc.tuple(adversarialString.filter((s) => s.length < 300), fc.string({ unit: 'binary', maxLength: 200 })).map(([name, data]) => file('files', name.replace(/["\r\n]/g, ''), data)),
    fc.constant(file('files', '', '')),
    fc.constant(file('other', 'x.txt', 'x')),
    fc.constant(file('files', '../../etc/passwd\u0000.png', '\x89PNG\r\n\x1a\n')),
  );
  const parts = fc.array(fc.oneof(fields, files), { minLength: 0, maxLength: 6 });
  return fc.tuple(parts, fc.nat(7), fc.nat(1000)).map(([list, damage, cut]) => {
    const boundary = 'fuzzBoundary7MA4YWxk';
    let body = `${list.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;
    let contentType = `multipart/form-data; boundary=${boundary}`;
    if (damage === 1) body = body.slice(0, cut % Math.max(body.length, 1));
    if (damage === 2) contentType = 'multipart/form-data';
    if (damage === 3) contentType = 'multipart/form-data; boundary=other';
    if (damage === 4) body = `--${boundary}\r\n${'Content-Disposition: form-data; name="x"\r\n'.repeat(200)}\r\n`;
    if (damage === 5) body = Array.from({ length: 60 }, () => `--${boundary}\r\n${field('report', '{}')}\r\n`).join('') + `--${boundary}--\r\n`;
    return { payload: Buffer.from(body, 'latin1'), contentType };
  });
}

const lyingContentTypes = ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/xml', 'application/octet-stream', 'application/jsonx', 'application/json;;', '*/*', 'multipart/mixed', 'image/png', 'application/merge-patch+json', 'APPLICATION/JSON'];

function bodyFor(route: FuzzRoute): fc.Arbitrary<{ payload?: string | Buffer; headers: Record<string, string> }> {
  const json = (value: unknown, type = 'application/json') => ({ payload: JSON.stringify(value) ?? 'null', headers: { 'content-type': type } });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ headers: {} }) },
    { weight: 8, arbitrary: fromSchema(route.body).map((v) => json(v)) },
    { weight: 3, arbitrary: adversarialJson.map((v) => json(v)) },
    { weight: 1, arbitrary: fc.tuple(fromSchema(route.body), fc.constantFrom(...lyingContentTypes)).map(([v, type]) => json(v, type)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('{', '[', '{"a":1,}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', 'nul', '"\\ud800"', '1e999', '\u0000', '['.repeat(100_000), '{"a":'.repeat(50_000), `${'['.repeat(60_000)}${']'.repeat(60_000)}`, `${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)}`, '\uFEFF{}', ''), fc.constantFrom('application/json', ...lyingContentTypes))
        .map(([payload, type]) => ({ payload, headers: { 'content-type': type } })),
    },
    { weight: 2, arbitrary: multipartFor(route.body).map(({ payload, contentType }) => ({ payload, headers: { 'content-type': contentType } })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...Object.keys(route.body?.properties ?? { title: 0 })), fc.constantFrom(600_000, 1_100_000))
        .map(([key, n]) => ({ payload: JSON.stringify({ [key]: 'x'.repeat(n) }), headers: { 'content-type': 'application/json' } })),
    },
  );
}

/** Requests for one route: its path with real and hostile parameters, hostile query, headers, credentials and bodies. */
export function requestsFor(route: FuzzRoute, credentials: FuzzCredentials, known: KnownParams): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(pathFor(route.url, known), queryFor(route), authFor(route, credentials), extraHeaders, bodyFor(route)).map(([path, query, auth, extra, body]) => ({
    method: route.method,
    url: path + query,
    headers: { ...extra, ...auth, ...body.headers },
    ...(body.payload !== undefined ? { payload: body.payload } : {}),
  }));
}

/** What a response must never contain: signs of stack traces, library internals, SQL or server paths. */
const leakPatterns: RegExp[] = [
  /\bat [\w$.<>]+ \(/,
  /\(?(?:file:\/\/|\/)[\w./-]+\.(?:ts|js|mjs):\d+:\d+/,
  /node_modules/,
  new RegExp(process.cwd().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  /\b(?:TypeError|ReferenceError|RangeError|SyntaxError|AggregateError)\b/,
  /Cannot read propert/,
  /is not a function/,
  /\bselect\b[\s\S]{0,200}\bfrom\b/i,
  /\binsert into\b/i,
  /\bviolates\b/i,
  /syntax error at or near/i,
  /duplicate key value/i,
  /relation "/i,
  /invalid input syntax/i,
  /\b(?:kysely|pglite|node-postgres|fastify|busboy|zod)\b/i,
  /\bFST_[A-Z_]+\b/,
  /\bERR_[A-Z_]+\b/,
  /\bECONN[A-Z]+\b/,
];

function requestText(request: FuzzRequest): string {
  return `${request.url}\n${JSON.stringify(request.headers)}\n${request.payload?.toString() ?? ''}`;
}

/** Problems with one response; empty when it is as it must be. */
export function responseProblems(request: FuzzRequest, response: { statusCode: number; headers: Record<string, unknown>; body: string }): string[] {
  const problems: string[] = [];
  const { statusCode, body } = response;
  const sent = requestText(request);
  for (const pattern of leakPatterns) {
    const match = pattern.exec(body);
    // Inputs echoed back in a validation message are the caller's own words, not a leak.
    if (match && !sent.toLowerCase().includes(match[0].toLowerCase())) problems.push(`leaks ${JSON.stringify(match[0])}`);
  }
  if (statusCode < 400) return problems;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [...problems, `a ${statusCode} whose body is not JSON: ${body.slice(0, 200)}`];
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = error?.code;
  if (typeof code !== 'string' || !(code in errorCodes)) return [...problems, `a ${statusCode} without a known error code: ${body.slice(0, 300)}`];
  if (Object.keys(parsed as object).length !== 1) problems.push(`extra top-level keys: ${Object.keys(parsed as object).join(', ')}`);
  if (errorCodes[code as ErrorCode] !== statusCode) problems.push(`code ${code} answered with ${statusCode}`);
  if (typeof error?.message !== 'string' || error.message === '') problems.push('no message');
  const details = error?.details;
  if (details !== undefined && !(Array.isArray(details) && details.every((d) => typeof d?.path === 'string' && typeof d?.message === 'string'))) problems.push(`malformed details: ${JSON.stringify(details).slice(0, 200)}`);
  if (statusCode >= 500) problems.push(`server error ${code}: ${body.slice(0, 300)}`);
  return problems;
}

/**
 * Rows that only a successful request may add or remove. The audit log, sessions
 * and login challenges are left out on purpose: refusals are audited, and a
 * rejected login still counts towards lockout.
 */
const storedTables = [
  'report',
  'report_message',
  'report_attachment',
  'reporter_token',
  'idempotency_record',
  'report_event',
  'disclosure_proposal',
  'advisory',
  'advisory_revision',
  'advisory_report',
  'advisory_subscription',
  'project',
  'policy_revision',
  'project_member',
  'project_key',
  'app_user',
  'invitation',
  'api_token',
  'webhook',
  'webhook_delivery',
  'notification_preference',
  'password_reset',
  'outbox_event',
] as const;

/** A wrong password counts towards lockout even when refused (on the account), and reaching the threshold mails the account's owner. */
const expectedSideEffects: Record<string, readonly string[]> = {
  invalid_credentials: ['outbox_event', 'app_user'],
  reauthentication_failed: ['outbox_event', 'app_user'],
  mfa_invalid: ['outbox_event', 'app_user'],
};

/** Columns that record use, not content: any authenticated request may touch them, refused or not. */
const usageColumns = ['last_used_at', 'last_seen_at'];

/**
 * A fingerprint of every table a rejected request must leave alone (its rows'
 * content, not only their number, so an update or a delete-and-insert shows),
 * in one round trip.
 */
export async function storedFingerprints(db: Db): Promise<Record<string, string>> {
  const drop = `array[${usageColumns.map((c) => `'${c}'`).join(',')}]`;
  const selects = storedTables.map((t) => `(select count(*) || ':' || md5(coalesce(string_agg((to_jsonb(r) - ${drop})::text, ',' order by (to_jsonb(r) - ${drop})::text), '')) from ${t} r) as ${t}`).join(', ');
  const { rows } = await sql<Record<string, string>>`${sql.raw(`select ${selects}`)}`.execute(db);
  return rows[0]!;
}

export interface FuzzOutcome {
  requests: number;
  byStatus: Record<number, number>;
  /** Milliseconds spent answering, per route, to see where a run's time goes. */
  msByRoute: Record<string, number>;
}

/**
 * Sends `runs` generated requests to each route through `inject()` and fails
 * (fast-check shrinks to the smallest failing request) on a 5xx, a malformed
 * or leaky error body, or a rejected request that changed stored rows (their content, not only their number).
 */
export async function fuzzRoute(app: App, db: Db, route: FuzzRoute, credentials: FuzzCredentials, known: KnownParams, options: { runs: number; seed?: number | undefined; collect?: Map<string, string> | undefined }, outcome: FuzzOutcome): Promise<void> {
  const key = `${route.method} ${route.url}`;
  let counts = await storedFingerprints(db);
  await fc.assert(
    fc.asyncProperty(requestsFor(route, credentials, known), async (request) => {
      const started = performance.now();
      const response = await app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, ...(request.payload !== undefined ? { payload: request.payload } : {}) });
      outcome.requests += 1;
      outcome.msByRoute[key] = (outcome.msByRoute[key] ?? 0) + performance.now() - started;
      outcome.byStatus[response.statusCode] = (outcome.byStatus[response.statusCode] ?? 0) + 1;
      const problems = responseProblems(request, { statusCode: response.statusCode, headers: response.headers, body: response.body });
      // Reads leave rows alone: counting after each write is enough, and halves the run's time.
      if (request.method !== 'GET') {
        const after = await storedFingerprints(db);
        if (response.statusCode >= 400) {
          const code = (JSON.parse(response.body) as { error?: { code?: string } }).error?.code ?? '';
          const changed = storedTables.filter((t) => after[t] !== counts[t] && !expectedSideEffects[code]?.includes(t)).map((t) => `${t} ${counts[t]!.split(':')[0]} rows → ${after[t]!.split(':')[0]} rows`);
          if (changed.length > 0) problems.push(`a rejected request changed stored rows: ${changed.join(', ')}`);
        }
        counts = after;
      }
      if (problems.length === 0) return;
      const report = `${request.method} ${request.url.slice(0, 300)} → ${response.statusCode}\n${problems.join('\n')}`;
      if (!options.collect) throw new Error(report);
      // Exploring (the fuzz script): one example of each kind of problem per route, and carry on.
      const kind = `${key}: ${problems.map((p) => p.replace(/[0-9a-f-]{36}|\d+/g, '#').slice(0, 80)).join('; ')}`;
      if (!options.collect.has(kind)) options.collect.set(kind, `${report}\n${JSON.stringify({ ...request, payload: request.payload?.toString().slice(0, 500) })}`);
    }),
    { numRuns: options.runs, ...(options.seed !== undefined ? { seed: options.seed } : {}) },
  );
}
