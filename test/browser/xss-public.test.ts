import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type PageWatch, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const SVG = '<svg onload=alert(1)>';
const MD_LINK = '[click me](javascript:alert(1))';
const RAW_HTML = '<iframe src="javascript:alert(1)"></iframe><a href="javascript:alert(1)">raw link</a>';

/**
 * Every user-controlled value the public and reporter pages render, filled
 * with script payloads: the pages must show them as text (or sanitised
 * Markdown) and no script may run (no dialog, no CSP violation).
 */
describe('public and reporter pages render hostile content inert', () => {
  let server: UiServer;
  let browser: Browser;
  let auth: { authorization: string };
  let advisoryId: string;
  let followUpToken: string;

  beforeAll(async () => {
    server = await startUiServer();
    auth = { authorization: `Bearer ${await setUpOwner(server.app, server.database)}` };
    const policy = parse((await examplePolicyExpiringIn('payqi')).text);
    policy.project.name = `PayQI ${SCRIPT}`;
    policy.project.description = `${IMG} ${MD_LINK}`;
    policy.intro = `Intro ${RAW_HTML} ${SVG}`;
    policy.contacts = [{ kind: 'email', address: 'security@payqi.example', label: `Team ${IMG}`, note: SVG }, ...policy.contacts];
    policy.scope = { in: [`In ${SCRIPT}`], out: [`Out ${MD_LINK}`] };
    policy.supported_versions.rows[0].label = `1.x ${SVG}`;
    policy.acknowledgements = { statement: `Thanks ${RAW_HTML}`, entries: [{ name: `Listed ${IMG}`, note: SCRIPT }] };
    policy.extra_sections = [{ title: `Section ${SVG}`, body: `${RAW_HTML}\n\n${MD_LINK}` }];
    policy.report_form.extra_questions = [{ id: 'environment', type: 'text', label: `Env ${IMG}`, help: SCRIPT }];
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy: stringify(policy) } });
    expect(created.statusCode, created.body).toBe(201);

    const submitted = await server.app.inject({
      method: 'POST',
      url: '/api/v1/projects/payqi/reports',
      payload: { title: `Title ${SCRIPT}`, description: 'd', steps_to_reproduce: 's', impact: 'i', credit: { mode: 'named', name: `Credited ${IMG}` } },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const report = submitted.json();
    followUpToken = report.followUpToken;
    const reporter = { authorization: `Bearer ${followUpToken}` };
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/portal/messages', headers: reporter, payload: { body: `Reporter ${SCRIPT} ${MD_LINK} ${RAW_HTML}` } })).statusCode).toBe(201);
    const boundary = 'xss-boundary';
    const multipart = [`--${boundary}`, `Content-Disposition: form-data; name="files"; filename="${IMG}.txt"`, 'Content-Type: text/plain', '', 'hello', `--${boundary}--`, ''].join('\r\n');
    const upload = await server.app.inject({ method: 'POST', url: '/api/v1/portal/attachments', headers: { ...reporter, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: multipart });
    expect(upload.statusCode, upload.body).toBe(201);
    expect((await server.app.inject({ method: 'POST', url: `/api/v1/reports/${report.id}/messages`, headers: auth, payload: { body: `Team ${SVG} ${MD_LINK}` } })).statusCode).toBe(201);
    for (const type of ['acknowledge', 'accept']) expect((await server.app.inject({ method: 'POST', url: `/api/v1/reports/${report.id}/actions`, headers: auth, payload: { type } })).statusCode).toBe(200);

    const draft = await server.app.inject({
      method: 'POST',
      url: '/api/v1/projects/payqi/advisories',
      headers: auth,
      payload: {
        title: `Advisory ${SCRIPT}`,
        summary: `Summary ${IMG}`,
        details: `Details ${RAW_HTML}\n\n${MD_LINK}\n\n${SVG}`,
        severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
        affected: [{ ecosystem: 'npm', name: `payqi-${'server'}`, ranges: [{ type: 'SEMVER', introduced: '1.2.0', fixed: '1.4.3' }] }],
        references: [{ type: 'FIX', url: 'https://example.org/payqi/commit/abc' }],
        reportIds: [report.id],
        credits: [{ name: `Credited ${IMG}`, type: 'REPORTER' }, { name: `Fixer ${SVG}`, type: 'REMEDIATION_DEVELOPER', contact: ['https://fixer.example'] }],
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    advisoryId = draft.json().advisory.id;
    const published = await server.app.inject({ method: 'POST', url: `/api/v1/advisories/${advisoryId}/publish`, headers: auth });
    expect(published.statusCode, published.body).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function expectInert(page: Page, watch: PageWatch, visible: string[]) {
    for (const text of visible) await expect.poll(() => page.getByText(text, { exact: false }).count(), { message: text, timeout: 3000 }).toBeGreaterThan(0);
    expect(await page.locator('main script, main iframe, main img, main svg[onload], [onerror], [onload]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  }

  it('project page: name, description, intro, contacts, scope, versions, sections, acknowledgements, advisories and credits', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/p/payqi`);
    await page.getByRole('heading', { level: 1, name: `PayQI ${SCRIPT}` }).waitFor();
    await page.getByRole('list', { name: 'Acknowledged reporters' }).waitFor();
    await expectInert(page, watch, [`Team ${IMG}`, `In ${SCRIPT}`, `1.x ${SVG}`, `Section ${SVG}`, `Listed ${IMG}`, `Credited ${IMG}`, `Fixer ${SVG}`, `Advisory ${SCRIPT}`, 'click me']);
    await screenshot(page, 'xss-project');
  });

  it('report form: the project name and its extra questions', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/p/payqi/report`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectInert(page, watch, [`Report a vulnerability in PayQI ${SCRIPT}`, `Env ${IMG}`]);
  });

  it('portal: report title, thread messages from both sides and attachment names', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/portal#token=${followUpToken}`);
    await page.getByRole('list', { name: 'Messages' }).waitFor();
    // sanitize-html escapes a disallowed tag without its attributes: "<svg>" shows as text.
    await expect.poll(() => page.getByText(/Team <svg/).count()).toBe(1);
    await expectInert(page, watch, [`Title ${SCRIPT}`, `Reporter ${SCRIPT}`]);
    // The server sanitises file names; whatever is left of the payload is shown as text on the download button.
    expect(await page.getByRole('button', { name: /^Download .*onerror.*\.txt$/ }).count()).toBe(1);
    await screenshot(page, 'xss-portal');
  });

  it('advisory list and detail: title, summary, details, credits', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/advisories`);
    await page.getByRole('link', { name: `Advisory ${SCRIPT}` }).waitFor();
    await expectInert(page, watch, [`Summary ${IMG}`]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'advisories');
    await page.getByRole('link', { name: `Advisory ${SCRIPT}` }).click();
    await page.getByRole('heading', { level: 1, name: `Advisory ${SCRIPT}` }).waitFor();
    await expectInert(page, watch, [`Summary ${IMG}`, 'Details', `Credited ${IMG}`, `Fixer ${SVG}`, 'click me']);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'advisory');
  });
});
