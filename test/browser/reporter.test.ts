import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type PageWatch, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';

const CANARY = 'CANARY-browser-encrypted-7f3a-idor-in-refunds';

describe('an anonymous reporter in a real browser', () => {
  let server: UiServer;
  let browser: Browser;
  let auth: { authorization: string };

  beforeAll(async () => {
    server = await startUiServer();
    auth = { authorization: `Bearer ${await setUpOwner(server.app, server.database)}` };
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } });
    expect(created.statusCode, created.body).toBe(201);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function teamReport(humanId: string) {
    const { reports } = (await server.app.inject({ url: '/api/v1/projects/payqi/reports', headers: auth })).json() as { reports: { id: string; humanId: string }[] };
    const id = reports.find((r) => r.humanId === humanId)!.id;
    return (await server.app.inject({ url: `/api/v1/reports/${id}`, headers: auth })).json();
  }

  const clean = (watch: PageWatch) => expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });

  async function fillReport(page: Page, description: string) {
    await page.getByLabel('Title').fill('Refund IDOR');
    await page.getByRole('textbox', { name: /^Description/ }).fill(description);
    await page.getByLabel('Steps to reproduce').fill('1. Log in as A\n2. POST /refunds with B\'s order id');
    await page.getByRole('textbox', { name: /^Impact/ }).fill('Any customer can refund any order.');
  }

  it('submits with an attachment, keeps the receipt on the page, follows the report in the portal and writes to the team', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/p/payqi/report`);
    await page.getByRole('heading', { level: 1, name: 'Report a vulnerability in PayQI' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await fillReport(page, 'The refund endpoint trusts the order id from the body.');
    await page.getByLabel('Add files').setInputFiles({ name: 'poc.txt', mimeType: 'text/plain', buffer: Buffer.from('curl -X POST https://payqi.example/refunds\n') });
    await expect.poll(() => page.getByRole('list', { name: 'Files to send' }).textContent()).toContain('poc.txt');
    await page.getByLabel('Name or handle for the credit').fill('Ada');
    await screenshot(page, 'report-form');
    await page.getByRole('button', { name: 'Send the report' }).click();

    const heading = page.getByRole('heading', { level: 1, name: /Report PAYQI-\d{4}-\d+ received/ });
    await heading.waitFor();
    // The receipt is shown in place: no token in the address bar.
    expect(page.url()).toBe(`${server.url}/p/payqi/report`);
    await expect.poll(() => page.getByText('it cannot be shown again').count()).toBeGreaterThan(0);
    const token = (await page.getByLabel('Follow-up token').textContent())!.trim();
    expect(token).toMatch(/^emb_rep_/);
    const link = await page.getByRole('link', { name: 'Open your report' }).getAttribute('href');
    expect(link).toBe(`${server.url}/portal#token=${token}`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'report-receipt');

    // A fresh tab, as if the reporter came back later from the saved link.
    const { page: portal, watch: portalWatch } = await watchedPage(browser);
    await portal.goto(link!);
    await portal.getByRole('heading', { level: 1, name: /Report PAYQI-/ }).waitFor();
    expect(new URL(portal.url()).hash).toBe('');
    await expect.poll(() => portal.getByText('Now: Received').count()).toBe(1);
    await expect.poll(() => portal.getByRole('button', { name: /Download poc\.txt/ }).count()).toBe(1);
    await portal.getByLabel('Your message').fill('Happy to test a fix. **Thanks!**');
    await portal.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => portal.getByRole('list', { name: 'Messages' }).textContent()).toContain('Happy to test a fix.');
    expect(await portal.getByRole('list', { name: 'Messages' }).locator('strong', { hasText: 'Thanks!' }).count()).toBe(1);
    expect(await seriousAccessibilityViolations(portal)).toEqual([]);
    await screenshot(portal, 'portal');

    // The team sees the same report and message.
    const humanId = (await heading.textContent())!.split(' ')[1];
    const teamView = await teamReport(humanId!);
    expect(teamView.credit).toEqual({ mode: 'named', name: 'Ada' });
    expect(JSON.stringify(teamView.messages)).toContain('Happy to test a fix.');
    clean(watch);
    clean(portalWatch);
  });

  it('opens the portal from a pasted token too', async () => {
    const submitted = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { title: 'Pasted', description: 'd', steps_to_reproduce: 's', impact: 'i' } });
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/portal`);
    await page.getByLabel('Follow-up token').fill(submitted.json().followUpToken);
    await page.getByRole('button', { name: 'Open the report' }).click();
    await page.getByRole('heading', { level: 1, name: `Report ${submitted.json().humanId}` }).waitFor();
    clean(watch);
  });

  it('encrypts the fields in the browser when the reporter asks, and the server (holding the key) decrypts them', async () => {
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/intake-key', headers: auth })).statusCode).toBe(201);
    const { page, watch } = await watchedPage(browser);
    const bodies: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/projects/payqi/reports')) bodies.push(request.postData() ?? '');
    });
    await page.goto(`${server.url}/p/payqi/report`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await fillReport(page, `Full write-up: ${CANARY}`);
    await page.getByLabel(/Encrypt the description/).check();
    await page.getByRole('button', { name: 'Encrypt and send the report' }).click();
    await page.getByRole('heading', { level: 1, name: /received/ }).or(page.getByRole('alert')).first().waitFor();
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('-----BEGIN PGP MESSAGE-----');
    expect(bodies[0]).not.toContain(CANARY);
    const humanId = (await page.getByRole('heading', { level: 1 }).textContent())!.split(' ')[1];
    const teamView = await teamReport(humanId!);
    expect(teamView.encryptedToTeam).toBe(false);
    expect(JSON.stringify(teamView.content)).toContain(CANARY);
    clean(watch);
  });

  it('answers the team’s disclosure dates in the portal: declines one, counter-proposes, accepts the next; and changes the credit', { timeout: 60_000 }, async () => {
    const submitted = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { title: 'Dates', description: 'd', steps_to_reproduce: 's', impact: 'i', credit: { mode: 'named', name: 'Ada' } } });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id: reportId, humanId, followUpToken } = submitted.json();
    const propose = async (discloseAt: string, reason?: string) => {
      const proposed = await server.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/disclosure/proposals`, headers: auth, payload: { discloseAt, timezone: 'UTC', ...(reason ? { reason } : {}) } });
      expect(proposed.statusCode, proposed.body).toBe(201);
    };
    const teamDisclosure = async () => (await server.app.inject({ url: `/api/v1/reports/${reportId}/disclosure`, headers: auth })).json() as { agreed: { at: string } | null; proposals: Array<{ proposedBy: string; status: string; discloseAt: string; reason: string | null }> };
    await propose('2027-03-01T00:00:00Z', 'the fix ships in 2.0');

    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/portal`);
    await page.getByLabel('Follow-up token').fill(followUpToken);
    await page.getByRole('button', { name: 'Open the report' }).click();
    await page.getByRole('heading', { level: 1, name: `Report ${humanId}` }).waitFor();
    const panel = page.locator('.card', { has: page.getByRole('heading', { name: 'Disclosure date' }) });
    await panel.getByText('The team proposes 1 Mar 2027').waitFor();
    await panel.getByText('the fix ships in 2.0').waitFor();
    await panel.getByText('No date agreed yet.').waitFor();

    await panel.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => panel.getByText('The team proposes').count()).toBe(0);
    await panel.getByLabel('Propose a date').fill('2027-02-15');
    await panel.getByLabel('Why this date (optional)').fill('I present at a conference that week');
    await panel.getByRole('button', { name: 'Send the proposal' }).click();
    await panel.getByText('You proposed 15 Feb 2027').waitFor();
    expect((await teamDisclosure()).proposals.map(({ proposedBy, status, discloseAt, reason }) => ({ proposedBy, status, discloseAt, reason }))).toEqual(expect.arrayContaining([
      { proposedBy: 'team', status: 'rejected', discloseAt: '2027-03-01T00:00:00.000Z', reason: 'the fix ships in 2.0' },
      { proposedBy: 'reporter', status: 'open', discloseAt: '2027-02-15T00:00:00.000Z', reason: 'I present at a conference that week' },
    ]));

    // The team answers with another date; the reporter accepts it, and both sides see it agreed.
    await propose('2027-02-20T00:00:00Z');
    await page.reload();
    await panel.getByText('The team proposes 20 Feb 2027').waitFor();
    await panel.getByLabel('Propose another date').waitFor();
    await panel.getByRole('button', { name: 'Accept this date' }).click();
    await panel.getByText(/Agreed: details become public on 20 Feb 2027/).waitFor();
    expect(await panel.getByRole('button', { name: 'Accept this date' }).count()).toBe(0);
    expect((await teamDisclosure()).agreed?.at).toBe('2027-02-20T00:00:00.000Z');

    // Credit: from named to anonymous, then a new name; the team's view follows each save.
    const credit = page.locator('form.card', { has: page.getByRole('heading', { name: 'Credit' }) });
    await credit.getByLabel('As an anonymous reporter').check();
    expect(await credit.getByLabel('Name or handle').count()).toBe(0);
    await credit.getByRole('button', { name: 'Save the credit choice' }).click();
    await credit.getByRole('status').getByText('Saved.').waitFor();
    await expect.poll(async () => (await server.app.inject({ url: `/api/v1/reports/${reportId}`, headers: auth })).json().credit).toEqual({ mode: 'anonymous', name: null });
    await credit.getByLabel('By name').check();
    await credit.getByLabel('Name or handle').fill('Ada L.');
    await credit.getByRole('button', { name: 'Save the credit choice' }).click();
    await expect.poll(async () => (await server.app.inject({ url: `/api/v1/reports/${reportId}`, headers: auth })).json().credit).toEqual({ mode: 'named', name: 'Ada L.' });
    await page.reload();
    await expect.poll(() => page.locator('form.card', { has: page.getByRole('heading', { name: 'Credit' }) }).getByLabel('Name or handle').inputValue()).toBe('Ada L.');

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'portal-disclosure-agreed');
    clean(watch);
  });

  it('fits a phone screen', async () => {
    const { page, watch } = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/p/payqi/report`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await screenshot(page, 'report-form-phone');
    clean(watch);
  });
});
