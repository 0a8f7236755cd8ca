import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

const titles = ['SQL injection in search', 'Open redirect after logout', 'Stored XSS in comments'];

/** The inbox driven from the keyboard (j/k/Enter, /, ?), filtered, saved as a view, and on a phone. */
describe('inbox in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let triager: TeamMember;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    const owner = { authorization: `Bearer ${ownerToken}` };
    // Titles kept in clear are searchable; sealed ones are not (the inbox cannot search what it cannot read).
    const policy = (await examplePolicyExpiringIn('payqi', 190, clock.now())).text.replace('report_form:', 'report_form:\n  title_in_clear: true');
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy } })).statusCode).toBe(201);
    triager = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'kim@example.org', slug: 'payqi', projectRole: 'triager', displayName: 'Kim Keys' });
    for (const title of titles) {
      const submitted = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { ...validReport, title } });
      ids[title] = submitted.json().id;
      clock.advance(60_000);
    }
    const assessed = await server.app.inject({ method: 'PATCH', url: `/api/v1/reports/${ids['Stored XSS in comments']}/assessment`, headers: owner, payload: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', labels: ['frontend'] } });
    expect(assessed.statusCode, assessed.body).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('moves with j/k, opens with Enter, ignores keys while typing, and shows the shortcut help', async () => {
    const { page, watch } = await watchedPage(browser);
    page.setDefaultTimeout(15_000);
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/inbox?sort=oldest`);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const selectedTitle = () => page.locator('tbody tr[aria-selected="true"] .title-cell').textContent();
    expect(await selectedTitle()).toContain(titles[0]);
    await page.keyboard.press('j');
    expect(await selectedTitle()).toContain(titles[1]);
    await page.keyboard.press('j');
    await page.keyboard.press('j'); // stays on the last row
    expect(await selectedTitle()).toContain(titles[2]);
    await page.keyboard.press('k');
    expect(await selectedTitle()).toContain(titles[1]);

    // "/" focuses the search; typing j there types, it does not move.
    await page.keyboard.press('/');
    expect(await page.evaluate('document.activeElement.getAttribute("type")')).toBe('search');
    await page.keyboard.type('jk');
    expect(await page.getByLabel('Search titles').inputValue()).toBe('jk');
    expect(await selectedTitle()).toContain(titles[1]);
    await page.getByLabel('Search titles').fill('');
    await page.locator('h1').click();

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Open the selected report');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-inbox-shortcuts');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/reports/${ids[titles[1]!]}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: titles[1]! }).waitFor();
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('filters by severity, label and text, and keeps a saved view in this browser', async () => {
    const { page, watch } = await watchedPage(browser);
    page.setDefaultTimeout(15_000);
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/inbox`);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    // Most overdue first by default: the scored critical report carries a fix clock, the rest their acknowledgement clocks.
    await page.getByLabel('Severity').selectOption('critical');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Stored XSS in comments');
    expect(await rows.first().textContent()).toContain('frontend');
    expect(page.url()).toContain('severity=critical');

    await page.getByLabel('Save the current filters as').fill('Criticals');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('Severity').selectOption('');
    await expect.poll(() => rows.count()).toBe(3);

    await page.getByLabel('Label').fill('frontend');
    await page.getByLabel('Label').press('Enter');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Label').fill('');
    await page.getByLabel('Label').press('Enter');
    await expect.poll(() => rows.count()).toBe(3);

    await page.getByLabel('Search titles').fill('redirect');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Open redirect after logout');

    await page.getByRole('button', { name: 'Criticals', exact: true }).click();
    // One row before and after: wait for the row itself to change, not the count.
    await expect.poll(() => rows.first().textContent()).toContain('Stored XSS in comments');
    expect(await rows.count()).toBe(1);
    expect(await page.evaluate('localStorage.getItem("embargo.inbox.views")')).toContain('Criticals');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('fits a phone screen', async () => {
    const { page, watch } = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(15_000);
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/inbox`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-inbox-phone');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
