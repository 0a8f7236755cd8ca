import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { OWNER_PASSWORD, setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type PageWatch, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { apiSession, invitedMemberWithMfa, movableClock, signInInPage, withTotpEnrolled, type TeamMember } from '../support/team-session.ts';
import * as hostile from '../support/xss.ts';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const SVG = '<svg onload=alert(1)>';
const MD_LINK = '[click me](javascript:alert(1))';
const RAW_HTML = '<iframe src="javascript:alert(1)"></iframe><a href="javascript:alert(1)">raw link</a>';
/** Payloads that set window.__pwned if they ever run (test/support/xss.ts), for the fields added later. */
const PWN = `${hostile.IMG} ${hostile.SCRIPT}`;
const ORGANISATION = `Org ${PWN} ${hostile.JS_URL}`;
/** Spellings of a script URL that browsers would follow: the URL parser ignores case, leading spaces and tabs inside the scheme. */
const SCRIPT_URLS = [hostile.JS_URL, 'JavaScript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)'];
/** https URLs whose path and query carry markup: allowed, and must show as text and link only to https. */
const HOSTILE_HTTPS = `https://example.org/?q=${hostile.SCRIPT}`;
const QUOTE_BREAKING_HTTPS = `https://example.org/"><img src=x onerror="window.__pwned=1">`;
/** Advisory references must be RFC 3986 URIs (OSV, CSAF and CVE say so), so markup in them arrives percent-encoded. */
const ENCODED_HTTPS = `https://example.org/?q=${encodeURIComponent(hostile.SCRIPT)}`;

/**
 * Every user-controlled value the public and reporter pages render, filled
 * with script payloads: the pages must show them as text (or sanitised
 * Markdown) and no script may run (no dialog, no CSP violation). Where a
 * field takes a URL, a script URL must be refused and an https URL carrying
 * markup must link only to https.
 */
describe('public and reporter pages render hostile content inert', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let auth: { authorization: string };
  let ownerToken: string;
  let advisoryId: string;
  let followUpToken: string;
  let admin: TeamMember;

  /** The example policy with every hostile value this test renders; `slug` for policies that are meant to be refused. */
  async function hostilePolicy(slug = 'payqi') {
    const policy = parse((await examplePolicyExpiringIn('payqi', 180, clock.now())).text);
    policy.project.slug = slug;
    policy.project.name = `PayQI ${SCRIPT}`;
    policy.project.description = `${IMG} ${MD_LINK}`;
    policy.intro = `Intro ${RAW_HTML} ${SVG}`;
    policy.contacts = [
      { kind: 'email', address: 'security@payqi.example', label: `Team ${IMG}`, note: SVG },
      ...policy.contacts,
      { kind: 'link', url: HOSTILE_HTTPS, label: `Link ${hostile.IMG}` },
      { kind: 'web_form', url: QUOTE_BREAKING_HTTPS },
    ];
    policy.scope = { in: [`In ${SCRIPT}`], out: [`Out ${MD_LINK}`] };
    policy.supported_versions.rows[0].label = `1.x ${SVG}`;
    policy.acknowledgements = { statement: `Thanks ${RAW_HTML}`, entries: [{ name: `Listed ${IMG}`, note: SCRIPT }, { name: `Linked ${hostile.IMG}`, url: HOSTILE_HTTPS }] };
    policy.extra_sections = [{ title: `Section ${SVG}`, body: `${RAW_HTML}\n\n${MD_LINK}` }, { title: 'Tricks', body: hostile.MARKDOWN_TRICKS }];
    return policy;
  }

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    ownerToken = await setUpOwner(server.app, server.database);
    auth = { authorization: `Bearer ${ownerToken}` };
    // Only the owner's own session manages the organisation, never an API token.
    const owner = await withTotpEnrolled(server, clock, 'owner@example.org', OWNER_PASSWORD);
    const ownerSession = await apiSession(server, clock, owner);
    const renamed = await server.app.inject({ method: 'PATCH', url: '/api/v1/organisation', headers: ownerSession.headers, payload: { name: ORGANISATION } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe(ORGANISATION);
    const policy = await hostilePolicy();
    policy.report_form.extra_questions = [{ id: 'environment', type: 'text', label: `Env ${IMG}`, help: SCRIPT }];
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy: stringify(policy) } });
    expect(created.statusCode, created.body).toBe(201);

    const submitted = await server.app.inject({
      method: 'POST',
      url: '/api/v1/projects/payqi/reports',
      payload: { title: `Title ${SCRIPT}`, description: 'd', steps_to_reproduce: 's', impact: 'i', credit: { mode: 'named', name: `Credited ${IMG}` }, contact: { uri: HOSTILE_HTTPS } },
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
        details: `Details ${RAW_HTML}\n\n${MD_LINK}\n\n${SVG}\n\n${hostile.MARKDOWN_TRICKS}`,
        severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
        affected: [
          { ecosystem: 'npm', name: `payqi-${'server'}`, ranges: [{ type: 'SEMVER', introduced: '1.2.0', fixed: '1.4.3' }] },
          { ecosystem: 'npm', name: `@payqi/${PWN}`, ranges: [{ type: 'SEMVER', introduced: '0', fixed: '2.0.1' }] },
        ],
        references: [{ type: 'FIX', url: 'https://example.org/payqi/commit/abc' }, { type: 'WEB', url: ENCODED_HTTPS }],
        reportIds: [report.id],
        credits: [
          { name: `Credited ${IMG}`, type: 'REPORTER' },
          { name: `Fixer ${SVG}`, type: 'REMEDIATION_DEVELOPER', contact: ['https://fixer.example'] },
          { name: `Mailed ${hostile.IMG}`, type: 'FINDER', contact: [`mailto:finder@example.org?subject=${hostile.SCRIPT}`] },
          { name: `Analyst ${hostile.IMG}`, type: 'ANALYST', contact: [QUOTE_BREAKING_HTTPS] },
        ],
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    advisoryId = draft.json().advisory.id;
    const published = await server.app.inject({ method: 'POST', url: `/api/v1/advisories/${advisoryId}/publish`, headers: auth });
    expect(published.statusCode, published.body).toBe(200);
    admin = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'admin@example.org', role: 'admin' });
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
    // Every URL attribute in the page resolves to http(s), mailto or blob, and no payload ran.
    await hostile.expectInert(page, watch);
  }

  /** The link named `name` exists and goes to `protocol` (the payload in its URL is percent-encoded, never markup). */
  async function expectLink(page: Page, name: string, protocol: 'https:' | 'mailto:') {
    const link = page.getByRole('link', { name, exact: true });
    await link.waitFor();
    expect(new URL((await link.getAttribute('href'))!).protocol).toBe(protocol);
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

  it('home page: the project list, with the hostile project name, and an organisation named with script', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/`);
    await page.getByRole('list', { name: 'Projects' }).getByRole('link', { name: `PayQI ${SCRIPT}`, exact: true }).waitFor();
    await expectInert(page, watch, ['Report a vulnerability']);
  });

  it('admin page: the organisation name is text', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/admin`);
    await page.getByText(`Organisation: ${ORGANISATION}`, { exact: true }).waitFor();
    await expectInert(page, watch, []);
  });

  it('the organisation name is escaped where feeds name the publisher', async () => {
    for (const url of ['/advisories.atom', '/p/payqi/advisories.atom']) {
      const feed = await server.app.inject({ method: 'GET', url });
      expect(feed.statusCode, url).toBe(200);
      expect(feed.body, url).toContain('<name>Org &lt;img src=x onerror=');
      expect(feed.body, url).not.toContain(hostile.IMG);
      expect(feed.body, url).not.toContain(hostile.SCRIPT);
    }
  });

  it('project page: https contact and hall-of-fame URLs carrying markup link to https, with their text shown as text', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/p/payqi`);
    await page.getByRole('list', { name: 'Acknowledged reporters' }).waitFor();
    const contacts = page.getByRole('list', { name: 'Contacts' });
    await expectLink(page, `Link ${hostile.IMG}`, 'https:');
    // A contact without a label shows its URL as the link text.
    await contacts.getByRole('link', { name: QUOTE_BREAKING_HTTPS, exact: true }).waitFor();
    await expectLink(page, `Linked ${hostile.IMG}`, 'https:');
    await expectLink(page, `Analyst ${hostile.IMG}`, 'https:');
    await expectInert(page, watch, ['Tricks', 'raw entity link']);
  });

  it('advisory page: package names, reference URLs and credit contacts', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/advisories/${advisoryId}`);
    await page.getByRole('heading', { level: 1, name: `Advisory ${SCRIPT}` }).waitFor();
    await page.getByRole('cell', { name: `@payqi/${PWN} (npm)`, exact: true }).waitFor();
    await expectLink(page, ENCODED_HTTPS, 'https:');
    await expectLink(page, `Mailed ${hostile.IMG}`, 'mailto:');
    await expectLink(page, `Analyst ${hostile.IMG}`, 'https:');
    await expectInert(page, watch, ['raw entity link']);
  });

  it('refuses script URLs wherever a policy takes a URL', async () => {
    const fields: [string, (policy: Awaited<ReturnType<typeof hostilePolicy>>, url: string) => void][] = [
      // The last two contacts are the hostile link and web form added above.
      ['contacts[2].url', (policy, url) => void (policy.contacts.at(-2)!.url = url)],
      ['contacts[3].url', (policy, url) => void (policy.contacts.at(-1)!.url = url)],
      ['acknowledgements.entries[1].url', (policy, url) => void (policy.acknowledgements.entries[1].url = url)],
      ['bug_bounty.url', (policy, url) => void (policy.bug_bounty = { offered: true, url })],
      ['project.homepage', (policy, url) => void (policy.project.homepage = url)],
      ['encryption.key_url', (policy, url) => void (policy.encryption = { key_url: url })],
      ['security_txt.policy', (policy, url) => void (policy.security_txt.policy = url)],
    ];
    for (const [field, set] of fields) {
      for (const url of field.startsWith('contacts') ? SCRIPT_URLS : [hostile.JS_URL]) {
        const policy = await hostilePolicy('refused');
        set(policy, url);
        const response = await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy: stringify(policy) } });
        expect(response.statusCode, `${field} = ${url}: ${response.body}`).toBe(400);
        expect(response.json().error.code).toBe('invalid_policy');
        expect(response.json().error.details.map((d: { path: string }) => d.path), `${field} = ${url}`).toContain(field);
      }
    }
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/projects/refused' })).statusCode).toBe(404);
  });

  it('refuses script URLs in advisory references, credit contacts and range repositories, and in a reporter’s contact', async () => {
    const content = { title: 'Refused', summary: 's', affected: [{ ecosystem: 'npm', name: 'payqi-server', ranges: [{ type: 'SEMVER', introduced: '0', fixed: '1.0.0' }] }] };
    const cases: [string, (url: string) => Record<string, unknown>][] = [
      ['body.references[0].url', (url) => ({ references: [{ type: 'WEB', url }] })],
      ['body.references[0].url', () => ({ references: [{ type: 'WEB', url: QUOTE_BREAKING_HTTPS }] })],
      ['body.credits[0].contact[0]', (url) => ({ credits: [{ name: 'Finder', type: 'FINDER', contact: [url] }] })],
      ['body.affected[0].ranges[0].repo', (url) => ({ affected: [{ ecosystem: 'npm', name: 'payqi-server', ranges: [{ type: 'GIT', repo: url, introduced: 'abc' }] }] })],
    ];
    for (const [path, fields] of cases) {
      for (const url of SCRIPT_URLS) {
        const response = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/advisories', headers: auth, payload: { ...content, ...fields(url) } });
        expect(response.statusCode, `${path} = ${url}: ${response.body}`).toBe(400);
        expect(response.json().error.code).toBe('validation_failed');
        expect(response.json().error.details.map((d: { path: string }) => d.path), `${path} = ${url}`).toContain(path);
      }
    }
    for (const url of SCRIPT_URLS) {
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { title: 't', description: 'd', contact: { uri: url } } });
      expect(response.statusCode, `contact.uri = ${url}: ${response.body}`).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed' });
      expect(response.json().error.details.map((d: { path: string }) => d.path)).toContain('body.contact.uri');
    }
  });
});
