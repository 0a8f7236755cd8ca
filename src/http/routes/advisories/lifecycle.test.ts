import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../../test/support/advisories.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

describe.each(databaseKinds)('advisory life cycle over HTTP on %s', (kind) => {
  let h: AdvisoryHarness;
  let named: Awaited<ReturnType<AdvisoryHarness['acceptedReport']>>;
  let anonymous: Awaited<ReturnType<AdvisoryHarness['acceptedReport']>>;
  let id: string;

  beforeAll(async () => {
    h = await advisoryHarness(kind);
    named = await h.acceptedReport('payqi', { mode: 'named', name: 'Ada Researcher' });
    anonymous = await h.acceptedReport('payqi', { mode: 'anonymous' });
  });
  afterAll(() => h?.close());

  it('drafts from accepted reports, crediting only the reporter who asked to be named', async () => {
    const created = await h.call('POST', '/api/v1/projects/payqi/advisories', { ...advisoryBody, reportIds: [named.id, anonymous.humanId] });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json();
    id = view.advisory.id;
    expect(id).toBe('PAYQI-2026-0001');
    expect(view.advisory).toMatchObject({ state: 'draft', credits: [{ name: 'Ada Researcher', type: 'REPORTER' }], severity: { rating: 'high', cvss31: { score: 7.5 } } });
    expect(view.reports.map((r: { humanId: string }) => r.humanId).sort()).toEqual([named.humanId, anonymous.humanId].sort());
  });

  it('refuses a reporter credit nobody consented to, a bad CVE id and a non-semver version, with field paths', async () => {
    const credit = await h.call('PATCH', `/api/v1/advisories/${id}`, { credits: [{ name: 'Ada Researcher', type: 'REPORTER' }, { name: 'Someone Anonymous', type: 'REPORTER' }] });
    expect(credit.statusCode).toBe(400);
    expect(credit.json().error.details).toEqual([expect.objectContaining({ path: 'body.credits[1].name' })]);
    const cve = await h.call('PATCH', `/api/v1/advisories/${id}`, { cveId: 'CVE-26-1' });
    expect(cve.json().error.details[0].path).toBe('body.cveId');
    const version = await h.call('PATCH', `/api/v1/advisories/${id}`, { affected: [{ ecosystem: 'npm', name: 'x', ranges: [{ type: 'SEMVER', introduced: 'one', fixed: '1.4.3' }] }] });
    expect(version.json().error.details[0].path).toBe('body.affected[0].ranges[0].introduced');
    const fine = await h.call('PATCH', `/api/v1/advisories/${id}`, { cveId: 'CVE-2026-12345', credits: [{ name: 'Ada Researcher', type: 'REPORTER' }, { name: 'Payqi Maintainers', type: 'REMEDIATION_DEVELOPER' }] });
    expect(fine.statusCode, fine.body).toBe(200);
  });

  it('stores a draft sealed: its title is nowhere in clear in the database', async () => {
    const row = await h.database.db.selectFrom('advisory').selectAll().where('advisory_id', '=', id).executeTakeFirstOrThrow();
    expect(row.content).toBeNull();
    expect(JSON.stringify(row)).not.toContain('Path traversal');
  });

  it('schedules at the agreed disclosure date by default, and unschedules', async () => {
    const none = await h.call('POST', `/api/v1/advisories/${id}/schedule`, {});
    expect(none.json().error.details[0].path).toBe('body.at');
    const proposal = await h.call('POST', `/api/v1/reports/${named.id}/disclosure/proposals`, { discloseAt: '2027-01-15T09:00:00+01:00', timezone: 'Europe/Berlin' });
    await h.call('POST', `/api/v1/portal/disclosure/proposals/${proposal.json().id}/answer`, { decision: 'accept' }, named.reporter);
    const scheduled = await h.call('POST', `/api/v1/advisories/${id}/schedule`);
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    expect(scheduled.json()).toMatchObject({ advisory: { state: 'scheduled' }, scheduledAt: '2027-01-15T08:00:00.000Z' });
    const past = await h.call('POST', `/api/v1/advisories/${id}/schedule`, { at: '2026-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect((await h.call('POST', `/api/v1/advisories/${id}/unschedule`)).json().advisory.state).toBe('draft');
  });

  it('publishes now: linked reports become disclosed and their reporters see it in the portal', async () => {
    const published = await h.call('POST', `/api/v1/advisories/${id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().advisory).toMatchObject({ state: 'published', published: '2026-11-23T09:00:00.000Z', revisions: [{ number: 1 }] });
    for (const report of [named, anonymous]) {
      const portal = (await h.call('GET', '/api/v1/portal/report', undefined, report.reporter)).json();
      expect(portal.status).toBe('disclosed');
      expect(portal.messages.map((m: { body: string }) => m.body).join('\n')).toContain(`The advisory ${id} about your report ${report.humanId} is published`);
    }
    expect((await h.call('POST', `/api/v1/advisories/${id}/publish`)).statusCode).toBe(409);
    const events = await h.database.db.selectFrom('outbox_event').select('topic').where('topic', '=', 'advisory.published').execute();
    expect(events).toHaveLength(1);
  });

  it('numbers each change to a published advisory as a revision with its summary', async () => {
    const missing = await h.call('PATCH', `/api/v1/advisories/${id}`, { summary: 'Reads any file the server can read' });
    expect(missing.json().error.details[0].path).toBe('body.revisionSummary');
    h.advance(3_600_000);
    const updated = await h.call('PATCH', `/api/v1/advisories/${id}`, { summary: 'Reads any file the server can read', revisionSummary: 'Clearer summary' });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().advisory.revisions).toEqual([expect.objectContaining({ number: 1 }), expect.objectContaining({ number: 2, summary: 'Clearer summary' })]);
    const row = await h.database.db.selectFrom('advisory').select(['content', 'content_sealed']).where('advisory_id', '=', id).executeTakeFirstOrThrow();
    expect(row.content_sealed).toBeNull();
    expect(row.content?.summary).toBe('Reads any file the server can read');
  });

  it('serves the published advisory publicly with an ETag, and answers 304 to a matching one', async () => {
    const url = `/api/v1/projects/payqi/advisories/${id}`;
    const first = await h.app.inject({ url });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    expect(first.json()).toMatchObject({ id, detailsHtml: expect.stringContaining('<p>Upgrade to <strong>1.4.3</strong>.</p>') });
    expect(first.headers['last-modified']).toBe(new Date('2026-11-23T10:00:00Z').toUTCString());
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await h.app.inject({ url, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    expect((await h.app.inject({ url, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    expect((await h.app.inject({ url, headers: { 'if-modified-since': first.headers['last-modified'] as string } })).statusCode).toBe(304);
    const list = await h.app.inject({ url: '/api/v1/advisories' });
    expect(list.json().advisories.map((a: { id: string }) => a.id)).toEqual([id]);
    expect((await h.app.inject({ url: '/api/v1/advisories', headers: { 'if-none-match': list.headers.etag as string } })).statusCode).toBe(304);
  });

  it('withdraws with a reason as a new revision, and keeps it visible as withdrawn', async () => {
    expect((await h.call('POST', `/api/v1/advisories/${id}/withdraw`, {})).statusCode).toBe(400);
    const withdrawn = await h.call('POST', `/api/v1/advisories/${id}/withdraw`, { reason: 'Not a vulnerability after all' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const pub = (await h.app.inject({ url: `/api/v1/projects/payqi/advisories/${id}` })).json();
    expect(pub).toMatchObject({ state: 'withdrawn', withdrawn: { reason: 'Not a vulnerability after all' } });
    expect(pub.revisions.map((r: { number: number }) => r.number)).toEqual([1, 2, 3]);
    expect((await h.call('PATCH', `/api/v1/advisories/${id}`, { title: 'x', revisionSummary: 'y' })).statusCode).toBe(409);
  });
});
