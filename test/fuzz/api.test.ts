import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_EMAIL, OWNER_PASSWORD, accountsHarness } from '../support/accounts.ts';
import { databaseKinds, type DatabaseKind } from '../support/databases.ts';
import { multipartBody, PNG_1X1 } from '../support/multipart.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';
import { fuzzRoute, fuzzRoutes, type FuzzCredentials, type FuzzOutcome, type FuzzRoute, type KnownParams } from './api-fuzz.ts';

/**
 * Property-based fuzzing of every route through `inject()`: hostile JSON,
 * paths, queries, multipart bodies, headers and credentials, signed in as the
 * owner (API token and browser session) and as a reporter so that
 * authenticated routes are reached. CI sends EMBARGO_FUZZ_REQUESTS (20 000 by
 * default) on PGlite and a quarter as many again on PostgreSQL (the engines
 * differ in how they reject bad bytes and huge values);
 * EMBARGO_FUZZ_DATABASE picks one engine, `npm run fuzz -- <count>` sends
 * more, and EMBARGO_FUZZ_SEED replays a run fast-check reported.
 */
const TOTAL = Number(process.env.EMBARGO_FUZZ_REQUESTS ?? 20_000);
/** One seed for the run, printed first; each route's property runs with seed + its index, so a run replays whole. */
const SEED = Number(process.env.EMBARGO_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KINDS: DatabaseKind[] = process.env.EMBARGO_FUZZ_DATABASE ? [process.env.EMBARGO_FUZZ_DATABASE as DatabaseKind] : [...databaseKinds];
const requestsOn = (kind: DatabaseKind) => (kind === 'pglite' || KINDS.length === 1 ? TOTAL : Math.ceil(TOTAL / 4));
/** Set by `npm run fuzz`: list every kind of problem found instead of stopping (and shrinking) at the first. */
const COLLECT = process.env.EMBARGO_FUZZ_COLLECT === '1' ? new Map<string, string>() : undefined;

describe.each(KINDS)('fuzzing every route on %s', (KIND) => {
  const TOTAL_HERE = requestsOn(KIND);
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let credentials: FuzzCredentials;
  let known: KnownParams;
  let routes: FuzzRoute[];
  const outcome: FuzzOutcome = { requests: 0, byStatus: {}, msByRoute: {} };

  beforeAll(async () => {
    h = await accountsHarness(KIND, { start: new Date() });
    for (const slug of ['payqi', 'leher']) {
      const created = await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn(slug)).text } });
      if (created.statusCode !== 201) throw new Error(created.body);
    }
    const form = await multipartBody({ report: JSON.stringify(validReport) }, [{ filename: 'proof.png', data: PNG_1X1, type: 'image/png' }]);
    const submitted = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', headers: form.headers, payload: form.payload });
    if (submitted.statusCode !== 201) throw new Error(submitted.body);
    const { id: reportId, followUpToken } = submitted.json<{ id: string; followUpToken: string }>();
    const report = await h.app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: h.ownerAuth });
    const attachmentId = report.json<{ attachments: Array<{ id: string }> }>().attachments[0]!.id;
    const draft = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/advisories', headers: h.ownerAuth, payload: { title: 'Fuzz', summary: 's' } });
    const advisoryId = draft.json<{ advisory: { id: string } }>().advisory.id;
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: h.ownerAuth });
    const session = await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD);
    const { secret } = await h.enrolTotp(session.headers, OWNER_PASSWORD);
    credentials = { owner: h.ownerAuth, ownerSession: (await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD, secret)).headers, reporter: { authorization: `Bearer ${followUpToken}` } };
    known = {
      slug: ['payqi', 'leher'],
      reportId: [reportId],
      attachmentId: [attachmentId],
      advisoryId: [advisoryId, 'PAYQI-2099-0001'],
      userId: [me.json<{ id: string }>().id],
      tlp: ['white', 'green', 'WHITE'],
      year: [String(new Date().getUTCFullYear())],
      file: ['index.txt', 'x.json', 'x.json.asc', 'x.json.sha256'],
      feed: ['white-feed.json', 'feed.json'],
    };
    routes = fuzzRoutes(h.app);
  }, 120_000);
  afterAll(() => h?.close());

  it(`sends ${TOTAL_HERE} hostile requests without a 5xx, a leak or a trace of a rejected write`, { timeout: 30 * 60_000 }, async () => {
    expect(routes.length).toBeGreaterThan(100);
    const runs = Math.ceil(TOTAL_HERE / routes.length);
    const started = performance.now();
    const cpu = process.cpuUsage();
    console.log(`fuzz: EMBARGO_FUZZ_SEED=${SEED} EMBARGO_FUZZ_DATABASE=${KIND} EMBARGO_FUZZ_REQUESTS=${TOTAL_HERE} replays this run`);
    for (const [index, route] of routes.entries()) await fuzzRoute(h.app, h.database.db, route, credentials, known, { runs, seed: SEED + index, collect: COLLECT }, outcome);
    const slowest = Object.entries(outcome.msByRoute).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([route, ms]) => `${route} ${Math.round(ms)} ms`);
    console.log(`fuzz: ${outcome.requests} requests over ${routes.length} routes in ${Math.round(performance.now() - started)} ms (${Math.round(process.cpuUsage(cpu).user / 1000)} ms CPU); by status`, outcome.byStatus, '\nslowest routes:', slowest);
    if (COLLECT && COLLECT.size > 0) console.log([...COLLECT.values()].join('\n\n'));
    expect([...(COLLECT?.keys() ?? [])]).toEqual([]);
    expect(outcome.requests).toBeGreaterThanOrEqual(TOTAL_HERE);
    // The credentials kept working: authenticated routes were reached, not only refused.
    expect(Object.keys(outcome.byStatus).filter((s) => Number(s) < 300).length).toBeGreaterThan(0);
  });
});
