import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDueAdvisories } from '../../src/services/advisories/lifecycle.service.ts';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

/**
 * The triager's journey to a public advisory: a project admin (signed in with
 * MFA) starts a draft from an accepted report, completes it in the editor,
 * sees OSV, CSAF and CVE validate, publishes, and finds it in the public API
 * and both Atom feeds.
 */
describe('advisory editor in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let ownerToken: string;
  let admin: TeamMember;
  let reportId: string;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    ownerToken = await setUpOwner(server.app, server.database);
    const owner = { authorization: `Bearer ${ownerToken}` };
    const policy = await examplePolicyExpiringIn('payqi', 190, clock.now());
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy: policy.text } })).statusCode).toBe(201);
    admin = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'pat@example.org', slug: 'payqi', projectRole: 'project_admin', displayName: 'Pat Admin' });
    const submitted = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
    reportId = submitted.json().id;
    for (const type of ['acknowledge', 'accept']) {
      const step = await server.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/actions`, headers: owner, payload: { type } });
      expect(step.statusCode, step.body).toBe(200);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts a draft from an accepted report, validates OSV, CSAF and CVE live, publishes it, and the feeds carry it', { timeout: 90_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);

    await page.goto(`${server.url}/projects/payqi/advisories/new?report=${reportId}`);
    await page.getByText('Path traversal in file download').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'advisory-new-from-report');
    await page.getByRole('button', { name: 'Create draft from this report' }).click();
    await page.waitForURL(/\/projects\/payqi\/advisories\/PAYQI-\d{4}-0001\/edit$/);
    const advisoryId = /advisories\/([^/]+)\/edit/.exec(page.url())![1]!;

    // Prefilled from the report: its title, and the reporter's consented credit.
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('Path traversal in file download');
    await expect.poll(() => page.getByLabel('Credit 1 name').inputValue()).toBe('Ada Researcher');

    await page.getByLabel('Title').fill('Path traversal in payqi file download');
    await page.getByLabel('Summary').fill('The download endpoint reads files outside its directory');
    await page.getByLabel('Details (Markdown)').fill('Upgrade to **1.4.3**. The `file` parameter was joined into a path unchecked.');
    await page.getByLabel('CVSS 3.1 vector').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
    // The weakness is picked from MITRE's list by words of its name; Enter in the search adds it without submitting the editor.
    await page.getByLabel('Find a weakness').fill('path traversal restricted directory');
    await page.getByLabel('Find a weakness').press('Enter');
    await page.getByRole('list', { name: 'Weaknesses' }).getByText("Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')").waitFor();
    await page.getByLabel('CVE id').fill('CVE-2026-12345');
    // A package without a name: the content check names the field before any format is checked.
    await page.getByRole('button', { name: 'Add package' }).click();
    await page.getByLabel('Ecosystem').fill('npm');
    await expect.poll(() => page.getByText('CSAF 2.0: not checked').count()).toBe(1);
    await page.getByLabel('Package name').fill('payqi-server');
    await page.getByLabel('Introduced').fill('1.2.0');
    await page.getByLabel('Fixed in').fill('1.4.3');
    await page.getByRole('button', { name: 'Add reference' }).click();
    await page.getByLabel('Reference 1 type').selectOption('FIX');
    await page.getByLabel('Reference 1 URL').fill('https://example.org/payqi/commit/abc');

    const formats = page.getByRole('list', { name: 'Output formats' });
    await expect.poll(() => formats.getByText('OSV: valid').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await formats.getByText('CSAF 2.0: valid').count()) || (await formats.textContent()), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => formats.getByText('CVE JSON 5.1: valid').count(), { timeout: 15_000 }).toBe(1);
    const preview = page.getByRole('article', { name: 'Advisory preview' });
    expect(await preview.getByText('High (7.5)').count()).toBe(1);
    expect(await preview.locator('strong', { hasText: '1.4.3' }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'advisory-editor');

    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published.').waitFor();
    await page.getByRole('heading', { name: 'Update the published advisory' }).waitFor();
    await screenshot(page, 'advisory-published');

    // The public JSON API, then both Atom feeds, fetched by the browser.
    const publicJson = (await page.evaluate(`fetch('/api/v1/projects/payqi/advisories/${advisoryId}').then((r) => r.json())`)) as { title: string; state: string; cveId: string };
    expect(publicJson).toMatchObject({ title: 'Path traversal in payqi file download', state: 'published', cveId: 'CVE-2026-12345' });
    const teamView = await server.app.inject({ url: `/api/v1/advisories/${advisoryId}`, headers: { authorization: `Bearer ${ownerToken}` } });
    expect(teamView.json().advisory.cweIds).toEqual(['CWE-22']);
    for (const feed of ['/advisories.atom', '/p/payqi/advisories.atom']) {
      const response = await page.goto(`${server.url}${feed}`);
      expect(response?.status()).toBe(200);
      expect(await response!.text()).toContain('Path traversal in payqi file download');
    }

    // An update is a new revision with a change note; the linked report is now disclosed.
    await page.goto(`${server.url}/projects/payqi/advisories/${advisoryId}/edit`);
    await page.getByLabel('Summary').fill('The download endpoint reads any file the server can read');
    await page.getByLabel('Change note').fill('Clarified the impact');
    await page.getByRole('button', { name: 'Publish update' }).click();
    await page.getByText('Update published as a new revision.').waitFor();
    expect(await page.getByRole('listitem').filter({ hasText: 'Clarified the impact' }).count()).toBe(1);
    expect(await page.getByText('(disclosed)').count()).toBe(1);

    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('withdraws with a reason, after which the advisory is read-only', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/payqi/advisories/PAYQI-${clock.now().getUTCFullYear()}-0001/edit`);
    await page.getByLabel('Reason for withdrawal').fill('Not a vulnerability after all: the path is normalised upstream');
    await page.getByRole('button', { name: 'Withdraw advisory' }).click();
    await page.getByText('A withdrawn advisory cannot change.').waitFor();
    expect(await page.getByLabel('Title').isDisabled()).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'advisory-withdrawn');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('a new advisory from scratch shows field problems at the field, on a phone screen too', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/payqi/advisories/new`);
    await page.getByLabel('Title').fill('Something');
    await page.getByLabel('Summary').fill('Something');
    await page.getByLabel('CVSS 3.1 vector').fill('CVSS:3.1/AV:X');
    await expect.poll(() => page.locator('.field-error').filter({ hasText: 'AV:X' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByLabel('CVSS 3.1 vector').getAttribute('aria-invalid')).toBe('true');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'advisory-new-phone');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
  it('schedules publication at a chosen time, unschedules and schedules again, and the job publishes it when the time comes', { timeout: 60_000 }, async () => {
    const owner = { authorization: `Bearer ${ownerToken}` };
    const draft = await server.app.inject({
      method: 'POST',
      url: '/api/v1/projects/payqi/advisories',
      headers: owner,
      payload: { title: 'Timing leak in token comparison', summary: 'Tokens are compared in variable time', affected: [{ ecosystem: 'npm', name: 'payqi-server', ranges: [{ type: 'SEMVER', introduced: '0', fixed: '1.4.4' }] }] },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const advisoryId = draft.json().advisory.id as string;
    const teamView = async () => (await server.app.inject({ url: `/api/v1/advisories/${advisoryId}`, headers: owner })).json() as { advisory: { state: string }; scheduledAt: string | null };
    const publicStatus = async () => (await server.app.inject({ url: `/api/v1/projects/payqi/advisories/${advisoryId}` })).statusCode;

    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/payqi/advisories/${advisoryId}/edit`);
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('Timing leak in token comparison');
    // Two days ahead on the server's clock, typed as the browser's local time, as a person would.
    const at = new Date(clock.now().getTime() + 2 * 86_400_000);
    at.setUTCSeconds(0, 0);
    const local = await page.evaluate(`(() => { const d = new Date(${at.getTime()}); const p = (n) => String(n).padStart(2, '0'); return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()); })()`);
    await page.getByLabel('Publish at').fill(local as string);
    await page.getByRole('button', { name: 'Save and schedule' }).click();
    await page.getByText(/^Scheduled for /).first().waitFor();
    expect(await teamView()).toMatchObject({ advisory: { state: 'scheduled' }, scheduledAt: at.toISOString() });
    expect(await publicStatus()).toBe(404);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'advisory-scheduled');

    await page.getByRole('button', { name: 'Unschedule' }).click();
    await page.getByRole('status').getByText('Back to draft.').waitFor();
    expect((await teamView()).advisory.state).toBe('draft');
    await page.getByRole('button', { name: 'Save and schedule' }).click();
    await expect.poll(async () => (await teamView()).advisory.state).toBe('scheduled');

    // Not yet due: the job leaves it; past its time it publishes it, and the page shows it published.
    expect((await publishDueAdvisories(server.ctx)).published).toEqual([]);
    clock.advance(2 * 86_400_000 + 60_000);
    expect((await publishDueAdvisories(server.ctx)).published).toEqual([advisoryId]);
    expect(await publicStatus()).toBe(200);
    // Two days on, the session has idled out: sign in again to see the editor say so.
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/payqi/advisories/${advisoryId}/edit`);
    await page.getByRole('link', { name: 'Public page' }).waitFor();
    expect(await page.getByRole('button', { name: 'Save and schedule' }).count()).toBe(0);
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
