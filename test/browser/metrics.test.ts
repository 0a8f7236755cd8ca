import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('metrics dashboard in a real browser', () => {
  // The server's clock starts 50 days back; four reports arrive more than a week apart, the last about five days ago.
  const clock = movableClock(new Date(Date.now() - 50 * DAY));
  let server: UiServer;
  let browser: Browser;
  let triager: TeamMember;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    const owner = { authorization: `Bearer ${ownerToken}` };
    const policy = (await examplePolicyExpiringIn('leher', 190, clock.now())).text;
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy } })).statusCode).toBe(201);
    triager = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'tri@example.org', slug: 'leher', projectRole: 'triager' });
    for (const [ackAfter, fixAfter] of [[6, 100], [30, 200], [70, null], [12, null]] as const) {
      const id = (await server.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { title: 't', description: 'd', steps_to_reproduce: 's', impact: 'i', affected_versions: { text: '1' } } })).json().id;
      const act = (type: string) => server.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/actions`, headers: owner, payload: { type } });
      clock.advance(ackAfter * HOUR);
      await act('acknowledge');
      if (fixAfter !== null) {
        await act('accept');
        await act('start_fix');
        clock.advance(fixAfter * HOUR);
        expect((await act('mark_fixed')).statusCode).toBe(200);
      }
      clock.advance(7 * DAY);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the charts with uPlot and gives each a text alternative, with SLA compliance and the open backlog', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/projects/leher/metrics`);
    const ackFigure = page.getByRole('figure', { name: /Time to acknowledge per week/ });
    await ackFigure.waitFor();
    // uPlot draws on a canvas, hidden from assistive technology; the figure's data table says the same in text.
    await expect.poll(() => page.locator('.chart canvas').count()).toBe(2);
    expect(await page.locator('.chart').first().getAttribute('aria-hidden')).toBe('true');
    const ackTable = page.getByRole('table', { name: 'Time to acknowledge per week' });
    await ackFigure.getByText('Data table: time to acknowledge per week').click();
    await expect.poll(() => ackTable.getByRole('row').count()).toBe(5);
    expect(await ackTable.getByRole('cell', { name: '2.9 days' }).count()).toBe(2); // one report that week: median and 90th percentile agree
    expect(await ackFigure.getByText(/latest median 12 h/).count()).toBe(1);
    expect(await page.getByRole('figure', { name: /Time to fix per week/ }).getByText(/2 weeks with data/).count()).toBe(1);

    const sla = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Compliance' }) });
    expect(await sla.getByRole('rowheader', { name: 'acknowledgement' }).count()).toBe(1);
    expect(await page.getByRole('meter', { name: 'acknowledgement compliance' }).count()).toBe(1);
    const open = page.locator('table.open-grid');
    expect(await open.getByRole('rowheader', { name: 'unscored' }).count()).toBe(1);
    expect(await page.locator('.metric').nth(2).textContent()).toBe('4'); // fixed is still open until disclosed

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'metrics');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
