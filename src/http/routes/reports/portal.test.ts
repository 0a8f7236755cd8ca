import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';
import { validReport } from '../../../../test/support/reports.ts';

const INTERNAL = 'INTERNAL-NOTE-suspect-this-is-a-duplicate-of-the-march-one';

describe.each(databaseKinds)('reporter portal and team inbox on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let first: { id: string; followUpToken: string; humanId: string };
  let second: { id: string; followUpToken: string };
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('leher')).text } });
    first = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: validReport })).json();
    h.advance(1000);
    second = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { ...validReport, title: 'Second report' } })).json();
  });
  afterAll(() => h?.close());

  it('lets a reporter read their report with the follow-up token', async () => {
    const response = await h.app.inject({ url: '/api/v1/portal/report', headers: as(first.followUpToken) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: first.id,
      humanId: first.humanId,
      status: 'received',
      title: validReport.title,
      content: { description: validReport.description },
      credit: { mode: 'named', name: 'Ada Researcher' },
      contact: { email: 'researcher@example.net', hasPublicKey: false },
      messages: [],
    });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('never shows one report to another report’s token', async () => {
    const other = await h.app.inject({ url: '/api/v1/portal/report', headers: as(second.followUpToken) });
    expect(other.json().id).toBe(second.id);
    expect(other.body).not.toContain(first.id);
    const teamRoute = await h.app.inject({ url: `/api/v1/reports/${first.id}`, headers: as(second.followUpToken) });
    expect(teamRoute.statusCode).toBe(403);
    const forged = await h.app.inject({ url: '/api/v1/portal/report', headers: as('emb_rep_forged-token-value') });
    expect(forged.statusCode).toBe(401);
  });

  it('carries a two-way thread, without internal notes for the reporter', async () => {
    const posted = await h.app.inject({ method: 'POST', url: '/api/v1/portal/messages', headers: as(first.followUpToken), payload: { body: 'More detail: it also works with %2e%2e.' } });
    expect(posted.statusCode).toBe(201);
    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${first.id}/messages`, headers: h.ownerAuth, payload: { body: 'Thanks, we can reproduce it.' } });
    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${first.id}/messages`, headers: h.ownerAuth, payload: { body: INTERNAL, visibility: 'internal' } });

    const reporterView = await h.app.inject({ url: '/api/v1/portal/report', headers: as(first.followUpToken) });
    expect(reporterView.json().messages.map((m: { author: string; body: string }) => [m.author, m.body])).toEqual([
      ['you', 'More detail: it also works with %2e%2e.'],
      ['team', 'Thanks, we can reproduce it.'],
    ]);
    expect(reporterView.body).not.toContain(INTERNAL);
    expect(reporterView.body).not.toMatch(/authorUserId|owner@example\.org/);

    const teamView = await h.app.inject({ url: `/api/v1/reports/${first.id}`, headers: h.ownerAuth });
    expect(teamView.json().messages.map((m: { visibility: string }) => m.visibility)).toEqual(['reporter', 'reporter', 'internal']);
  });

  it('renders thread messages as sanitised HTML next to their Markdown', async () => {
    await h.app.inject({ method: 'POST', url: '/api/v1/portal/messages', headers: as(first.followUpToken), payload: { body: '**PoC** <script>alert(1)</script> [x](javascript:alert(1))' } });
    const message = (await h.app.inject({ url: '/api/v1/portal/report', headers: as(first.followUpToken) })).json().messages.at(-1);
    expect(message.body).toContain('<script>');
    expect(message.html).toContain('<strong>PoC</strong>');
    expect(message.html).not.toMatch(/<script|javascript:/);
  });

  it('lets the reporter change the credit preference', async () => {
    const anonymous = await h.app.inject({ method: 'PUT', url: '/api/v1/portal/credit', headers: as(first.followUpToken), payload: { mode: 'anonymous' } });
    expect(anonymous.json()).toEqual({ mode: 'anonymous', name: null });
    const missingName = await h.app.inject({ method: 'PUT', url: '/api/v1/portal/credit', headers: as(first.followUpToken), payload: { mode: 'named' } });
    expect(missingName.json().error.details[0].path).toBe('body.name');
  });

  it('rotates the follow-up token: the old one stops working at once', async () => {
    const rotated = await h.app.inject({ method: 'POST', url: '/api/v1/portal/token/rotate', headers: as(first.followUpToken) });
    const next = rotated.json().followUpToken as string;
    expect(next).not.toBe(first.followUpToken);
    expect((await h.app.inject({ url: '/api/v1/portal/report', headers: as(first.followUpToken) })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/v1/portal/report', headers: as(next) })).statusCode).toBe(200);
    first.followUpToken = next;
  });

  it('lets the team revoke a leaked follow-up token', async () => {
    const revoked = await h.app.inject({ method: 'POST', url: `/api/v1/reports/${first.id}/reporter-access/revoke`, headers: h.ownerAuth });
    expect(revoked.json()).toEqual({ revoked: 1 });
    expect((await h.app.inject({ url: '/api/v1/portal/report', headers: as(first.followUpToken) })).statusCode).toBe(401);
  });

  it('hides spam from the inbox but keeps it', async () => {
    const list = async (query = '') => (await h.app.inject({ url: `/api/v1/projects/leher/reports${query}`, headers: h.ownerAuth })).json().reports.map((r: { id: string }) => r.id);
    expect(await list()).toEqual([second.id, first.id]);
    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${second.id}/spam`, headers: h.ownerAuth, payload: { spam: true } });
    expect(await list()).toEqual([first.id]);
    expect(await list('?includeSpam=true')).toEqual([second.id, first.id]);
    expect((await h.app.inject({ url: `/api/v1/reports/${second.id}`, headers: h.ownerAuth })).json().spam).toBe(true);
  });

  it('audits every team read of decrypted content', async () => {
    const before = (await h.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'report.read').execute()).length;
    await h.app.inject({ url: `/api/v1/reports/${first.id}`, headers: h.ownerAuth });
    const after = await h.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'report.read').execute();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ object_id: first.id, actor_type: 'api_token' });
  });

  it('answers 404 for an unknown report id and 400 for a malformed one', async () => {
    expect((await h.app.inject({ url: '/api/v1/reports/00000000-0000-4000-8000-000000000000', headers: h.ownerAuth })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/api/v1/reports/not-a-uuid', headers: h.ownerAuth })).statusCode).toBe(404);
  });
});
