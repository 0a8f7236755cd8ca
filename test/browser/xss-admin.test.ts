import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, startUiServer, watchedPage, type PageWatch, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const SVG = '<svg onload=alert(1)>';

/** Nothing ran, nothing was blocked by CSP because nothing tried, and no link or element carries script. */
async function expectInert(page: Page, watch: PageWatch) {
  expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  expect(await page.locator('a[href^="javascript:" i], [onerror], [onload], main script, main img[src="x"], main svg[onload]').count()).toBe(0);
}

describe('hostile content on the advisory editor, settings and admin pages', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let admin: TeamMember;
  let policy: string;
  let advisoryId: string;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    const owner = { authorization: `Bearer ${ownerToken}` };
    policy = (await examplePolicyExpiringIn('leher', 190, clock.now())).text;
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy } })).statusCode).toBe(201);
    admin = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'mallory@example.org', role: 'admin', slug: 'leher', projectRole: 'project_admin', displayName: IMG });
    const hook = await server.app.inject({ method: 'POST', url: '/api/v1/projects/leher/webhooks', headers: owner, payload: { url: `http://127.0.0.1:9/hook?q=${SVG}`, eventTypes: ['report.received'] } });
    expect(hook.statusCode, hook.body).toBe(201);
    const draft = await server.app.inject({
      method: 'POST',
      url: '/api/v1/projects/leher/advisories',
      headers: owner,
      payload: {
        title: SCRIPT,
        summary: SVG,
        details: `[click me](javascript:alert(1)) ${IMG} <script>alert(2)</script>`,
        credits: [{ name: IMG, type: 'FINDER' }],
        // Stored references must be RFC 3986 URIs, so markup arrives percent-encoded; the raw form is typed into the editor below.
        references: [{ type: 'WEB', url: `https://example.org/?q=${encodeURIComponent('"><script>alert(1)</script>')}` }],
        affected: [{ ecosystem: 'npm', name: SVG, ranges: [{ type: 'SEMVER', introduced: '0', fixed: '1.0.0' }] }],
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    advisoryId = draft.json().advisory.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('advisory fields render as text in the form and the preview; an unsaved javascript: reference is not a link', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/leher/advisories/${advisoryId}/edit`);
    const preview = page.getByRole('article', { name: 'Advisory preview' });
    await preview.getByRole('heading', { name: SCRIPT }).waitFor();
    expect(await preview.getByText(SVG).count()).toBeGreaterThan(0);
    expect(await preview.getByText(`${IMG} (finder)`).count()).toBe(1);
    await expect.poll(() => preview.getByText('click me').count()).toBe(1);
    // The sanitiser keeps the link text but no javascript: target (checked with every other sink in expectInert).
    await page.getByRole('button', { name: 'Add reference' }).click();
    await page.getByLabel('Reference 2 URL').fill('javascript:alert(1)');
    await preview.getByText('javascript:alert(1)').waitFor();
    await page.getByRole('button', { name: 'Add reference' }).click();
    await page.getByLabel('Reference 3 URL').fill('https://example.org/"><script>alert(3)</script>');
    await preview.getByText('https://example.org/"><script>alert(3)</script>').waitFor();
    await page.waitForTimeout(800); // let the live check answer
    await expectInert(page, watch);
  });

  it('policy strings, webhook URLs and display names render as text on the settings page', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/leher/settings`);
    await page.getByRole('cell', { name: `${IMG} (mallory@example.org)`, exact: true }).waitFor();
    await page.getByText(`http://127.0.0.1:9/hook?q=`, { exact: false }).first().waitFor();
    const editor = page.getByLabel('Policy file (YAML)');
    await expect.poll(() => editor.inputValue()).toBe(policy);
    await editor.fill(policy.replace(/^(\s+name:) Leher$/m, `$1 "${IMG} ${SCRIPT}"`));
    // SECURITY.md escapes Markdown-significant characters; shown in a <pre>, the payload is plain text either way.
    await expect.poll(() => page.getByLabel('SECURITY.md preview').textContent(), { timeout: 10_000 }).toContain('img src=x onerror=alert(1)');
    await expectInert(page, watch);
  });

  it('display names and audit details render as text on the admin page', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/admin`);
    await page.getByRole('table', { name: 'People of the organisation' }).getByRole('cell', { name: /^<img src=x onerror=alert\(1\)>/ }).waitFor();
    await page.getByRole('table', { name: 'Audit log entries' }).waitFor();
    await expectInert(page, watch);
  });
});
