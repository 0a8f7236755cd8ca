import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../src/services/setup.service.ts';
import { totpCode } from '../support/accounts.ts';
import { OWNER_PASSWORD } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';

/**
 * Two-factor enrolment as the account page does it, through the same JSON API
 * with the browser's own session (the account page belongs to another part of
 * the UI; this test is about the newcomer's path around it).
 */
async function enrolTotp(page: Page): Promise<void> {
  // Strings, not functions: they run in the page, whose globals this Node-side file does not type.
  const post = (url: string, body: object) =>
    page.evaluate(
      `fetch(${JSON.stringify(url)}, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': sessionStorage.getItem('embargo.csrf') ?? '' }, body: ${JSON.stringify(JSON.stringify(body))} }).then(async (r) => ({ status: r.status, body: await r.json() }))`,
    ) as Promise<{ status: number; body: { secret?: string } }>;
  const started = await post('/api/v1/account/mfa/totp', { currentPassword: OWNER_PASSWORD });
  expect(started.status).toBe(200);
  const confirmed = await post('/api/v1/account/mfa/totp/confirm', { code: totpCode(started.body.secret!, new Date()) });
  expect(confirmed.status).toBe(200);
}

describe('a newcomer sets up Embargo in a real browser', () => {
  let server: UiServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startUiServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('goes from the printed setup link to an owner account, a project from a seed policy and its public page', async () => {
    const issued = await issueSetupToken(server.ctx);
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/setup#token=${issued!.token}`);
    await page.getByRole('heading', { level: 1, name: 'Set up Embargo' }).waitFor();
    await expect.poll(() => page.getByLabel('Setup token').inputValue()).toBe(issued!.token);
    // The token leaves the address bar at once (no history entry, no accidental sharing).
    expect(new URL(page.url()).hash).toBe('');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup');

    await page.getByLabel('Organisation name').fill('Acme Security');
    await page.getByLabel('Your email address').fill('owner@acme.example');
    await page.getByLabel('Password', { exact: false }).first().fill(OWNER_PASSWORD);
    await page.getByLabel('Password again').fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Create the owner account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Embargo is set up' }).waitFor();
    expect(await page.getByLabel('API token').textContent()).toMatch(/^emb_pat_/);
    await expect.poll(() => page.getByText('you are signed in').count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-done');

    // Owners must use two-factor authentication before changing anything; the page says so and links the account page.
    if ((await page.getByRole('link', { name: 'Set it up on your account page' }).count()) > 0) await enrolTotp(page);

    await page.getByRole('link', { name: 'Create your first project' }).click();
    await page.getByRole('heading', { level: 1, name: 'New project' }).waitFor();
    await page.getByRole('button', { name: 'Leher' }).click();
    // A mistake first: the server's lint answer names the field and the line.
    const editor = page.getByRole('textbox', { name: /Policy \(YAML\)/ });
    const seed = await editor.inputValue();
    await editor.fill(seed.replace('acknowledgement:', 'acknowledgment:'));
    await page.getByRole('button', { name: 'Create the project' }).click();
    const problems = page.getByRole('list', { name: 'Problems in the policy' });
    await expect.poll(() => problems.textContent()).toContain('response_targets.acknowledgment');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'new-project-lint');
    await editor.fill(seed);
    await page.getByRole('button', { name: 'Create the project' }).click();

    await page.waitForURL(`${server.url}/p/leher`);
    await page.getByRole('heading', { level: 1, name: 'Leher' }).waitFor();
    const targets = page.getByRole('region', { name: 'Response targets' }).or(page.locator('section', { has: page.getByRole('heading', { name: 'Response targets' }) }));
    await expect.poll(() => targets.first().textContent()).toMatch(/Acknowledgement of your report\s*within/);
    const versions = page.locator('section', { has: page.getByRole('heading', { name: 'Supported versions' }) });
    expect(await versions.getByRole('row').count()).toBeGreaterThan(1);
    expect(await versions.textContent()).toContain('Supported');
    const contacts = page.getByRole('list', { name: 'Contacts' });
    expect(await contacts.getByRole('link').first().getAttribute('href')).toMatch(/^mailto:/);
    expect(await page.getByRole('link', { name: 'Report a vulnerability' }).first().getAttribute('href')).toBe('/p/leher/report');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'project');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('shows the project page on a phone without sideways scrolling', async () => {
    const { page, watch } = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/p/leher`);
    await page.getByRole('heading', { level: 1, name: 'Leher' }).waitFor();
    await page.getByRole('heading', { name: 'Hall of fame' }).or(page.getByRole('heading', { name: 'Advisories' })).first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await screenshot(page, 'project-phone');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
