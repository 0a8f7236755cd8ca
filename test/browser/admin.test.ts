import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

describe('organisation administration in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let admin: TeamMember;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    admin = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'ada@example.org', role: 'admin', displayName: 'Ada Admin' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists people, invites and revokes, and verifies the audit chain', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/admin`);
    const people = page.getByRole('table', { name: 'People of the organisation' });
    await people.getByRole('cell', { name: 'owner@example.org', exact: true }).waitFor();
    expect(await people.getByRole('cell', { name: /^Ada Admin/ }).count()).toBe(1);
    expect(await page.getByLabel('Role of ada@example.org').inputValue()).toBe('admin');

    await page.getByLabel('Email address').fill('newcomer@example.org');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText('Invitation sent to newcomer@example.org.').waitFor();
    const invitations = page.getByRole('table', { name: 'Open invitations' });
    await invitations.getByRole('cell', { name: 'newcomer@example.org', exact: true }).waitFor();
    expect(await page.content()).not.toMatch(/emb_inv|#token=/);

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/^Chain intact: \d+ entries/).waitFor();
    const audit = page.getByRole('table', { name: 'Audit log entries' });
    expect(await audit.getByText('users.invited').count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin');

    await page.getByRole('button', { name: 'Revoke invitation for newcomer@example.org' }).click();
    await expect.poll(() => page.getByText('No open invitations.').count()).toBe(1);
    await page.getByLabel('Object type').fill('invitation');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const objects = () => audit.locator('tbody tr td:nth-child(5)').allTextContents();
    await expect.poll(async () => (await objects()).length > 0 && (await objects()).every((t) => t.startsWith('invitation'))).toBe(true);
    expect(await audit.getByText('users.invitation_revoked').count()).toBe(1);
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
