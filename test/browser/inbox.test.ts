import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSlaClocks } from '../../src/services/triage/sla-scan.service.ts';
import { setUpOwner, testContext } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

const HOUR = 60 * 60_000;
const titles = ['SQL injection in search', 'Open redirect after logout', 'Stored XSS in comments'];

/** The inbox driven from the keyboard (j/k/Enter, /, ?), filtered, saved as a view, and on a phone. */
describe('inbox in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let triager: TeamMember;
  const ids: Record<string, string> = {};
  let owner: { authorization: string };

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    owner = { authorization: `Bearer ${ownerToken}` };
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

  it('shows breached, due-soon and on-track badges with the time, most overdue first', { timeout: 60_000 }, async () => {
    // Acknowledged: its next clock is the 7-day status update. The others keep their 48-hour acknowledgement clocks.
    expect((await server.app.inject({ method: 'POST', url: `/api/v1/reports/${ids['Open redirect after logout']}/actions`, headers: owner, payload: { type: 'acknowledge' } })).statusCode).toBe(200);
    clock.advance(10 * HOUR);
    ids['CSRF in settings'] = (await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { ...validReport, title: 'CSRF in settings' } })).json().id;
    clock.advance(39 * HOUR);
    // The stored clock status is what the scheduled scan (each minute in a running instance) last computed.
    await scanSlaClocks(testContext(server.database, clock.now));
    const { page, watch } = await watchedPage(browser);
    page.setDefaultTimeout(15_000);
    // The badges count time left on the browser's clock: the same moment as the server's.
    await page.clock.setFixedTime(clock.now());
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/inbox`);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const table = await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('.title-cell')!.textContent!.trim(), tr.querySelector('td[data-label="SLA"] .badge')!.className, tr.querySelector('td[data-label="SLA"]')!.textContent!.trim()]));
    // Received at t0 and t0+2 min, due 48 h later, now t0+49 h (plus the sign-ins' few minutes); the CSRF report is due at t0+58 h.
    expect(table).toEqual([
      ['SQL injection in search', 'badge bad', 'Breached · 1 h overdue'],
      [expect.stringMatching(/^Stored XSS in comments/), 'badge bad', 'Breached · 1 h overdue'],
      ['CSRF in settings', 'badge warn', expect.stringMatching(/^Due soon · (8|9) h.* left$/)],
      ['Open redirect after logout', 'badge ok', expect.stringMatching(/^On track · (4|5) d.* left$/)],
    ]);
    await screenshot(page, 'team-inbox-sla-badges');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
