import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

describe.each(databaseKinds)('duplicate hints, moving and converting reports on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  const report = (title: string, extra: object = {}) => ({ title, description: `About ${title}`, steps_to_reproduce: 's', impact: 'i', affected_versions: { text: '1' }, contact: { email: 'reporter@example.net' }, ...extra });
  const submit = async (slug: string, title: string, extra: object = {}) => (await h.app.inject({ method: 'POST', url: `/api/v1/projects/${slug}/reports`, payload: report(title, extra) })).json();

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    const leher = (await examplePolicyExpiringIn('leher')).text.replace('report_form:', 'report_form:\n  title_in_clear: true');
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: leher } });
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
  });
  afterAll(() => h?.close());

  it('hints at similar reports by title, CWE and label', async () => {
    const a = await submit('leher', 'SQL injection in the login form');
    const b = await submit('leher', 'SQL injection in login form via username');
    const c = await submit('leher', 'Open redirect after logout');
    await submit('leher', 'Totally unrelated thing');
    await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${c.id}/assessment`, headers: h.ownerAuth, payload: { cweIds: ['CWE-89'] } });
    await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${a.id}/assessment`, headers: h.ownerAuth, payload: { cweIds: ['CWE-89'] } });
    const similar = (await h.app.inject({ url: `/api/v1/reports/${a.id}/similar`, headers: h.ownerAuth })).json().similar;
    expect(similar.map((s: { id: string }) => s.id)).toEqual([b.id, c.id]);
    expect(similar[0].reasons[0]).toMatch(/similar title/);
    expect(similar[1].reasons).toEqual(['same CWE']);
  });

  it('records affected products and refuses an inverted range', async () => {
    const r = await submit('leher', 'XSS in comments');
    const bad = await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${r.id}/assessment`, headers: h.ownerAuth, payload: { affected: [{ ecosystem: 'npm', package: 'leher', ranges: [{ introduced: '2.0.0', fixed: '1.0.0' }] }] } });
    expect(bad.json().error.details[0].path).toBe('body.affected[0].ranges[0].fixed');
    const ok = await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${r.id}/assessment`, headers: h.ownerAuth, payload: { affected: [{ ecosystem: 'npm', package: 'leher', ranges: [{ introduced: '0', fixed: '1.4.2' }] }] } });
    expect(ok.statusCode).toBe(200);
  });

  it('moves a report to another project, keeping its id, thread and history', async () => {
    const r = await submit('leher', 'Belongs to PayQI really');
    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${r.id}/actions`, headers: h.ownerAuth, payload: { type: 'acknowledge' } });
    const moved = await h.app.inject({ method: 'POST', url: `/api/v1/reports/${r.id}/move`, headers: h.ownerAuth, payload: { project: 'payqi' } });
    expect(moved.json()).toEqual({ id: r.id, project: 'payqi' });
    const inbox = (await h.app.inject({ url: '/api/v1/projects/payqi/reports', headers: h.ownerAuth })).json().reports.map((x: { id: string }) => x.id);
    expect(inbox).toContain(r.id);
    const portal = (await h.app.inject({ url: '/api/v1/portal/report', headers: { authorization: `Bearer ${r.followUpToken}` } })).json();
    expect(portal).toMatchObject({ humanId: r.humanId, status: 'acknowledged' });
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/reports/${r.id}/move`, headers: h.ownerAuth, payload: { project: 'payqi' } })).statusCode).toBe(409);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/reports/${r.id}/move`, headers: h.ownerAuth, payload: { project: 'nowhere' } })).json().error.details[0].path).toBe('body.project');
  });

  it('converts a non-vulnerability into public-issue text without contact details, and tells the reporter', async () => {
    const r = await submit('leher', 'Typo on the login page', { credit: { mode: 'named', name: 'Grace' } });
    const converted = await h.app.inject({ method: 'POST', url: `/api/v1/reports/${r.id}/convert-to-public-issue`, headers: h.ownerAuth });
    const markdown = converted.json().markdown as string;
    expect(markdown).toMatch(/^## Typo on the login page\n\nAbout Typo on the login page/);
    expect(markdown).toContain(`(${r.humanId}) by Grace`);
    expect(markdown).not.toContain('reporter@example.net');
    const portal = (await h.app.inject({ url: '/api/v1/portal/report', headers: { authorization: `Bearer ${r.followUpToken}` } })).json();
    expect(portal.status).toBe('closed');
    expect(portal.messages.at(-1).body).toMatch(/not a security vulnerability.*public bug/);
  });
});
