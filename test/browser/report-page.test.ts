import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

/**
 * The parts of the report page a triager leans on besides the workflow:
 * the supported-versions verdict from the policy, duplicate hints that lead
 * to the other report, the CVSS 4.0 builder's live score, and internal notes
 * that stay out of the reporter's view.
 */
describe('report page in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let triager: TeamMember;
  let owner: { authorization: string };
  let first: { id: string; humanId: string; followUpToken: string };
  let second: { id: string; humanId: string; followUpToken: string };

  const submit = async (title: string, version: string) => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { ...validReport, title, affected_versions: { text: version, versions: [{ version }] } } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; humanId: string; followUpToken: string };
  };

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    owner = { authorization: `Bearer ${ownerToken}` };
    // Titles in clear: only those are compared for duplicate hints (sealed titles cannot be searched).
    const policy = parse((await examplePolicyExpiringIn('leher', 190, clock.now())).text);
    policy.report_form.title_in_clear = true;
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy: stringify(policy) } })).statusCode).toBe(201);
    triager = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'rio@example.org', slug: 'leher', projectRole: 'triager', displayName: 'Rio Triager' });
    // leher supports 1.x and not below 1.0.0.
    first = await submit('SQL injection in the login form', '1.3.0');
    second = await submit('SQL injection in login form search', '0.9.2');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The triager, signed in, on a report's page. */
  async function openReport(reportId: string) {
    const opened = await watchedPage(browser);
    await signInInPage(opened.page, server, clock, triager);
    await opened.page.goto(`${server.url}/reports/${reportId}`);
    return opened;
  }

  it('shows the policy’s verdict on the version, and a possible duplicate that leads to the other report', { timeout: 60_000 }, async () => {
    const { page, watch } = await openReport(second.id);
    const affected = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Affected versions' }) });
    await affected.getByText('Unsupported version').waitFor();
    await affected.getByText('outside the policy’s supported versions').waitFor();

    const duplicates = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Possible duplicates' }) });
    const link = duplicates.getByRole('link', { name: first.humanId });
    await link.waitFor();
    expect(await duplicates.getByRole('listitem').first().textContent()).toMatch(/title/i);
    await link.click();
    await page.getByRole('heading', { level: 1, name: /SQL injection in the login form/ }).waitFor();
    expect(page.url()).toBe(`${server.url}/reports/${first.id}`);
    await affected.getByText('Supported version', { exact: true }).waitFor();
    await duplicates.getByRole('link', { name: second.humanId }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('scores CVSS 4.0 live as metrics are chosen, saves the vector, and the severity follows', { timeout: 60_000 }, async () => {
    const { page, watch } = await openReport(first.id);
    const cvss = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'CVSS' }) });
    await cvss.getByLabel('CVSS 4.0').check();
    const choices: Array<[string, string]> = [
      ['Attack vector (AV)', 'N'], ['Attack complexity (AC)', 'L'], ['Attack requirements (AT)', 'N'], ['Privileges required (PR)', 'N'], ['User interaction (UI)', 'N'],
      ['Vulnerable system confidentiality (VC)', 'H'], ['Vulnerable system integrity (VI)', 'H'], ['Vulnerable system availability (VA)', 'H'],
      ['Subsequent system confidentiality (SC)', 'N'], ['Subsequent system integrity (SI)', 'N'],
    ];
    for (const [label, value] of choices) await cvss.getByLabel(label).selectOption(value);
    await cvss.getByText('Choose every base metric to see the vector and its score.').waitFor();
    expect(await cvss.getByRole('button', { name: 'Save CVSS 4.0' }).isDisabled()).toBe(true);
    await cvss.getByLabel('Subsequent system availability (SA)').selectOption('N');
    const vector = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    await cvss.getByText(vector, { exact: true }).waitFor();
    expect(await cvss.getByTestId('cvss-live-score').textContent()).toBe('9.3');
    // One metric less severe: the score moves at once, before anything is saved.
    await cvss.getByLabel('Attack requirements (AT)').selectOption('P');
    await expect.poll(() => cvss.getByTestId('cvss-live-score').textContent()).not.toBe('9.3');
    await cvss.getByLabel('Attack requirements (AT)').selectOption('N');
    await cvss.getByRole('button', { name: 'Save CVSS 4.0' }).click();
    await cvss.getByText(`${vector} · 9.3`).waitFor();
    const { assessment } = (await server.app.inject({ url: `/api/v1/reports/${first.id}`, headers: owner })).json();
    expect(assessment).toMatchObject({ cvss40: { vector, score: 9.3 }, severity: 'critical' });
    await screenshot(page, 'report-cvss40');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('marks internal notes as team-only, and the reporter sees the reply but never the note', { timeout: 60_000 }, async () => {
    const { page, watch } = await openReport(first.id);
    await page.getByLabel('Internal note (team only)').check();
    await page.getByRole('textbox', { name: 'Internal note' }).fill('Same root cause as the search endpoint; fix both together.');
    await page.getByRole('button', { name: 'Add internal note' }).click();
    const note = page.locator('li.message.internal', { hasText: 'Same root cause as the search endpoint' });
    await note.getByText('Internal note — not visible to the reporter').waitFor();
    await page.getByLabel('Reply to the reporter').check();
    await page.getByRole('textbox', { name: 'Message to the reporter' }).fill('Thanks, we reproduced it and are working on a fix.');
    await page.getByRole('button', { name: 'Send to reporter' }).click();
    const reply = page.locator('li.message', { hasText: 'we reproduced it' });
    await reply.waitFor();
    expect(await reply.getByText('Internal note — not visible to the reporter').count()).toBe(0);

    const portal = (await server.app.inject({ url: '/api/v1/portal/report', headers: { authorization: `Bearer ${first.followUpToken}` } })).json() as { messages: Array<{ body: string }> };
    const bodies = portal.messages.map((m) => m.body).join('\n');
    expect(bodies).toContain('we reproduced it');
    expect(bodies).not.toContain('Same root cause');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'report-thread-internal-note');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
