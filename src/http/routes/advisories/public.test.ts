import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../../test/support/advisories.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { readZip } from '../../../../test/support/zip.ts';
import { validateOsv } from '../../../formats/validate-osv.ts';
import { withdrawAdvisory } from '../../../services/advisories/lifecycle.service.ts';
import { systemMeta } from '../../../services/context.ts';
import { testContext } from '../../../../test/support/app.ts';

describe.each(databaseKinds)('public advisory reads on %s', (kind) => {
  let h: AdvisoryHarness;
  let draft: string;
  let published: string[];
  let reporter: Record<string, string>;
  const secretTitle = 'DRAFT-CANARY unpublished remote code execution';

  beforeAll(async () => {
    h = await advisoryHarness(kind, ['payqi', 'leher']);
    const named = await h.acceptedReport('payqi', { mode: 'named', name: 'Ada Researcher' });
    const anonymous = await h.acceptedReport('payqi', { mode: 'anonymous' });
    reporter = named.reporter;
    draft = await h.draft('payqi', { ...advisoryBody, title: secretTitle, reportIds: [named.id], credits: [{ name: 'Ada Researcher', type: 'REPORTER' }, { name: 'Draft Helper', type: 'ANALYST' }] });
    published = [await h.draft('payqi', { ...advisoryBody, reportIds: [named.id, anonymous.id] }), await h.draft('payqi', { ...advisoryBody, title: 'Second', credits: [{ name: 'Ada Researcher', type: 'FINDER' }] })];
    for (const id of published) {
      const response = await h.call('POST', `/api/v1/advisories/${id}/publish`);
      if (response.statusCode !== 200) throw new Error(response.body);
    }
  });
  afterAll(() => h?.close());

  const publicUrls = () => [
    `/api/v1/projects/payqi/advisories/${draft}`,
    `/p/payqi/advisories/${draft}.osv.json`,
    '/api/v1/advisories',
    '/api/v1/projects/payqi/advisories',
    '/p/payqi/advisories/all.zip',
    '/p/payqi/advisories.atom',
    '/advisories.atom',
    '/api/v1/acknowledgements',
    '/p/payqi/acknowledgements.json',
  ];

  it.each([
    ['anonymous', () => ({})],
    ['the reporter', () => reporter],
    ['the owner', () => ({ authorization: `Bearer ${h.ownerToken}` })],
  ])('never shows a draft to %s on a public route', async (_who, headers) => {
    for (const url of publicUrls()) {
      const response = await h.app.inject({ url, headers: headers() });
      if (url.includes(draft)) {
        // Exactly the answer for an id that does not exist (which echoes the id asked for).
        const missing = await h.app.inject({ url: url.replace(draft, 'PAYQI-2026-9999'), headers: headers() });
        expect([response.statusCode, response.body.replace(draft, 'PAYQI-2026-9999')], url).toEqual([404, missing.body]);
        continue;
      }
      expect(response.statusCode, url).toBe(200);
      const body = url.endsWith('.zip') ? readZip(response.rawPayload).map((e) => e.data.toString()).join() : response.body;
      expect(body, url).not.toContain(draft);
      expect(body, url).not.toContain('DRAFT-CANARY');
      expect(body, url).not.toContain('Draft Helper');
    }
  });

  it('keeps drafts from reporters on team routes too', async () => {
    expect((await h.app.inject({ url: `/api/v1/advisories/${draft}`, headers: reporter })).statusCode).toBe(403);
    expect((await h.app.inject({ url: `/api/v1/advisories/${draft}` })).statusCode).toBe(401);
  });

  it('answers a published advisory only under its own project', async () => {
    expect((await h.app.inject({ url: `/api/v1/projects/payqi/advisories/${published[0]}` })).statusCode).toBe(200);
    expect((await h.app.inject({ url: `/api/v1/projects/leher/advisories/${published[0]}` })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/p/leher/advisories/${published[0]}.osv.json` })).statusCode).toBe(404);
  });

  it('serves valid OSV per advisory, with an ETag', async () => {
    const response = await h.app.inject({ url: `/p/payqi/advisories/${published[0]}.osv.json` });
    expect(response.statusCode).toBe(200);
    expect(validateOsv(response.json())).toEqual([]);
    expect(response.json()).toMatchObject({ id: `x_${published[0]}`, credits: [{ name: 'Ada Researcher', type: 'REPORTER' }] });
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await h.app.inject({ url: `/p/payqi/advisories/${published[0]}.osv.json`, headers: { 'if-none-match': response.headers.etag as string } })).statusCode).toBe(304);
  });

  it('exports one valid OSV file per published advisory in all.zip', async () => {
    const response = await h.app.inject({ url: '/p/payqi/advisories/all.zip' });
    expect(response.headers['content-type']).toBe('application/zip');
    const entries = readZip(response.rawPayload);
    expect(entries.map((e) => e.name).sort()).toEqual(published.map((id) => `x_${id}.json`).sort());
    for (const entry of entries) expect(validateOsv(JSON.parse(entry.data.toString()))).toEqual([]);
    expect(readZip((await h.app.inject({ url: '/p/leher/advisories/all.zip' })).rawPayload)).toEqual([]);
  });

  it('lists published entries only in the Atom feeds, with an ETag', async () => {
    const feed = await h.app.inject({ url: '/p/payqi/advisories.atom' });
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(feed.body.match(/<entry>/g)).toHaveLength(2);
    for (const id of published) expect(feed.body).toContain(id);
    expect((await h.app.inject({ url: '/p/payqi/advisories.atom', headers: { 'if-none-match': feed.headers.etag as string } })).statusCode).toBe(304);
    expect((await h.app.inject({ url: '/advisories.atom' })).body.match(/<entry>/g)).toHaveLength(2);
    expect((await h.app.inject({ url: '/p/leher/advisories.atom' })).body).not.toContain('<entry>');
  });

  it('lists credited people in the hall of fame, and never an anonymous reporter', async () => {
    const project = (await h.app.inject({ url: '/p/payqi/acknowledgements.json' })).json();
    expect(project.acknowledgements).toEqual([
      { name: 'Ada Researcher', contact: [], advisories: expect.arrayContaining([expect.objectContaining({ id: published[0], creditType: 'REPORTER' }), expect.objectContaining({ id: published[1], creditType: 'FINDER' })]) },
    ]);
    expect((await h.app.inject({ url: '/api/v1/acknowledgements' })).json()).toEqual(project);
    expect((await h.app.inject({ url: '/p/leher/acknowledgements.json' })).json()).toEqual({ acknowledgements: [] });
  });
  it('reuses a rendering for at most a second: a write through this instance shows at once, one made elsewhere within the second', async () => {
    const id = await h.draft('payqi', { ...advisoryBody, title: 'Cached for a moment' });
    expect((await h.call('POST', `/api/v1/advisories/${id}/publish`)).statusCode).toBe(200);
    const urls = [`/api/v1/projects/payqi/advisories/${id}`, `/p/payqi/advisories/${id}.osv.json`];
    const withdrawnFlags = async () => Promise.all(urls.map(async (url) => {
      const body = (await h.app.inject({ url })).json();
      return url.endsWith('.osv.json') ? 'withdrawn' in body : body.withdrawn !== null && body.withdrawn !== undefined;
    }));
    expect(await withdrawnFlags()).toEqual([false, false]);

    // Withdrawn from elsewhere (the CLI or another instance: the service on the same database, no request through this app).
    await withdrawAdvisory(testContext(h.database, h.now), { kind: 'system', label: 'cli' }, id, 'a duplicate of an earlier advisory', systemMeta);
    const started = performance.now();
    const stale = await withdrawnFlags();
    if (performance.now() - started < 900) expect(stale).toEqual([false, false]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await withdrawnFlags()).toEqual([true, true]);

    // A write through this instance clears every rendering before its answer: the list has the new one at once.
    const listed = async () => ((await h.app.inject({ url: '/api/v1/projects/payqi/advisories' })).json().advisories as Array<{ id: string }>).map((a) => a.id);
    const next = await h.draft('payqi', { ...advisoryBody, title: 'Listed at once' });
    expect(await listed()).not.toContain(next);
    expect((await h.call('POST', `/api/v1/advisories/${next}/publish`)).statusCode).toBe(200);
    expect(await listed()).toContain(next);
  });
});
