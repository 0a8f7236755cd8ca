import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { multipartBody } from '../support/multipart.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';
import { apiSession, invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const SVG = '<svg onload=alert(1)>';
const JS_LINK = 'javascript:alert(1)';
const MD_LINK = '[click me](javascript:alert(1))';
const RAW_HTML = '<a href="javascript:alert(1)">raw html link</a><iframe src="javascript:alert(1)"></iframe>';

/**
 * Hostile text everywhere the inbox and report page show user-controlled
 * data — report title and fields, reporter and team messages (Markdown and
 * raw HTML), labels, an assignee's display name, attachment names — renders
 * as inert text: no dialog, no CSP violation, no javascript: link.
 */
describe('team pages render hostile input inert', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let viewer: TeamMember;
  let reportId: string;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    const owner = { authorization: `Bearer ${ownerToken}` };
    const policy = (await examplePolicyExpiringIn('payqi', 190, clock.now())).text.replace('report_form:', 'report_form:\n  title_in_clear: true');
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy } })).statusCode).toBe(201);
    viewer = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'vic@example.org', slug: 'payqi', projectRole: 'triager', displayName: 'Vic Viewer' });
    const hostile = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'mallory@example.org', slug: 'payqi', projectRole: 'triager', displayName: `${IMG} Mallory` });
    const mallory = await apiSession(server, clock, hostile);

    const submitted = await server.app.inject({
      method: 'POST',
      url: '/api/v1/projects/payqi/reports',
      payload: { ...validReport, title: `${SCRIPT} title`, description: `${IMG} ${MD_LINK}`, steps_to_reproduce: `${SVG} steps`, impact: RAW_HTML, affected_versions: { text: `${SCRIPT} versions` }, credit: { mode: 'named', name: SVG }, contact: { uri: 'https://example.net/contact' } },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    reportId = submitted.json().id;
    const reporter = { authorization: `Bearer ${submitted.json().followUpToken}` };
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/portal/messages', headers: reporter, payload: { body: `${SCRIPT}\n\n${MD_LINK}\n\n${RAW_HTML}` } })).statusCode).toBe(201);
    const upload = await multipartBody({ message: 'a file' }, [{ filename: `${IMG}.txt`, data: 'hello', type: 'text/plain' }]);
    const uploaded = await server.app.inject({ method: 'POST', url: '/api/v1/portal/attachments', headers: { ...reporter, ...upload.headers }, payload: upload.payload });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect((await server.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/messages`, headers: mallory.headers, payload: { body: `${SVG} internal ${MD_LINK}`, visibility: 'internal' } })).statusCode).toBe(201);
    const me = (await server.app.inject({ url: '/api/v1/me', headers: mallory.headers })).json();
    const assessed = await server.app.inject({ method: 'PATCH', url: `/api/v1/reports/${reportId}/assessment`, headers: owner, payload: { labels: [SCRIPT.slice(0, 40), JS_LINK], assigneeId: me.id } });
    expect(assessed.statusCode, assessed.body).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function expectInert(page: Page) {
    const hrefs = (await page.evaluate('[...document.querySelectorAll("a[href], iframe[src]")].map((a) => a.getAttribute("href") ?? a.getAttribute("src"))')) as string[];
    expect(hrefs.filter((h) => /^\s*javascript:/i.test(h))).toEqual([]);
    expect(await page.locator('main script, main iframe, main img[src="x"], main svg[onload]').count()).toBe(0);
  }

  it('keeps the inbox inert', async () => {
    const { page, watch } = await watchedPage(browser);
    page.setDefaultTimeout(15_000);
    await signInInPage(page, server, clock, viewer);
    await page.goto(`${server.url}/inbox`);
    const row = page.locator('tbody tr').first();
    await row.waitFor();
    expect(await row.textContent()).toContain(`${SCRIPT} title`);
    expect(await row.textContent()).toContain(JS_LINK);
    expect(await row.textContent()).toContain(`${IMG} Mallory`);
    await expectInert(page);
    await screenshot(page, 'team-inbox-xss');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('keeps the report page inert', async () => {
    const { page, watch } = await watchedPage(browser);
    page.setDefaultTimeout(15_000);
    await signInInPage(page, server, clock, viewer);
    await page.goto(`${server.url}/reports/${reportId}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: `${SCRIPT} title` }).waitFor();
    // The assignee's name arrives with the member list, after the report itself.
    await page.locator('main').getByText(`${IMG} Mallory`).first().waitFor();
    const main = (await page.locator('main').textContent())!;
    for (const text of [`${IMG} ${MD_LINK}`, `${SVG} steps`, RAW_HTML, `${SCRIPT} versions`, `${IMG} Mallory`, JS_LINK]) expect(main).toContain(text);
    // The server sanitises attachment names at intake (angle brackets become underscores); what is left shows as text.
    expect(main).toContain('_img src=x onerror=alert(1)_.txt');
    // Markdown in messages is rendered by the server's sanitiser: the link text stays, the javascript: target does not.
    expect(main).toContain('click me');
    expect(main).toContain('Internal note — not visible to the reporter');
    await expectInert(page);
    await screenshot(page, 'team-report-xss');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
