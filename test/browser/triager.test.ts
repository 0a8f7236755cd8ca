import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../support/accounts.ts';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';

/**
 * The triager's day, in one browser session: sign in with a password and a
 * TOTP code, find the new report in the inbox with its SLA badge, acknowledge
 * it, score it with the CVSS builder (live score), accept it, propose a
 * disclosure date that the reporter accepts through the portal API, see the
 * agreed date, then draft the advisory from the report, see OSV, CSAF and CVE
 * validate, publish it, and find it on the public pages and in both Atom feeds.
 *
 * Roles: triaging and drafting are open to the `triager` project role, but
 * publishing needs `project_admin` (src/domain/access/policy.ts,
 * `advisory.publish`), so the member who does all of this here is the
 * project's admin.
 */
describe('triager journey in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let triager: TeamMember;
  let receipt: { id: string; humanId: string; followUpToken: string };
  let owner: { authorization: string };

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    const ownerToken = await setUpOwner(server.app, server.database);
    owner = { authorization: `Bearer ${ownerToken}` };
    const policy = await examplePolicyExpiringIn('payqi', 190, clock.now());
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: { authorization: `Bearer ${ownerToken}` }, payload: { policy: policy.text } })).statusCode).toBe(201);
    triager = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'tess@example.org', slug: 'payqi', projectRole: 'project_admin', displayName: 'Tess Triager' });
    const submitted = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
    expect(submitted.statusCode).toBe(201);
    receipt = submitted.json();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in with MFA, triages, scores, accepts, agrees a disclosure date, and publishes the advisory', { timeout: 120_000 }, async () => {
    const { page, watch } = await watchedPage(browser);

    // Sign in: a wrong password first, then the right one and a TOTP code from "the app".
    await page.goto(`${server.url}/inbox`);
    await page.waitForURL(/\/login\?next=%2Finbox/);
    await page.getByRole('heading', { level: 1, name: 'Team sign-in' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-login');
    await page.getByLabel('Email').fill(triager.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('email or password is wrong');
    await page.getByLabel('Password').fill(triager.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-login-mfa');
    clock.advance(30_000);
    await page.getByLabel('Authentication code').fill(totpCode(triager.totpSecret, clock.now()));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();

    // The inbox lists the report with its SLA badge.
    await page.waitForURL(/\/inbox$/);
    const row = page.getByRole('row').filter({ hasText: receipt.humanId });
    await row.waitFor();
    expect(await row.textContent()).toContain(validReport.title);
    expect(await row.getByText(/On track · \d+ (h|d) left/).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-inbox');

    // The report page: content, then the workflow.
    await row.getByRole('link', { name: receipt.humanId }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: validReport.title }).waitFor();
    expect(await page.getByText(validReport.steps_to_reproduce).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Mark fixed' }).count()).toBe(0); // not valid for a received report
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('heading', { name: 'State: acknowledged' }).waitFor();
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Draft an advisory' }).count()).toBe(0); // only once the report is accepted

    // CVSS 3.1 from the metric selects, scored live in the browser.
    const metrics: Array<[string, string]> = [['Attack vector (AV)', 'N'], ['Attack complexity (AC)', 'L'], ['Privileges required (PR)', 'N'], ['User interaction (UI)', 'N'], ['Scope (S)', 'U'], ['Confidentiality (C)', 'H'], ['Integrity (I)', 'H']];
    for (const [label, value] of metrics) await page.getByLabel(label).selectOption(value);
    expect(await page.getByText('Choose every base metric').count()).toBe(1);
    await page.getByLabel('Availability (A)').selectOption('H');
    await expect.poll(() => page.getByTestId('cvss-live-score').textContent()).toBe('9.8');
    expect(await page.getByText('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Save CVSS 3.1' }).click();
    await expect.poll(async () => (await server.app.inject({ url: `/api/v1/reports/${receipt.id}`, headers: owner })).json().assessment.severity).toBe('critical');

    await page.getByRole('button', { name: 'Accept as a vulnerability' }).click();
    await page.getByRole('heading', { name: 'State: accepted' }).waitFor();

    // Propose a disclosure date; the reporter accepts it through the portal API.
    const when = new Date(clock.now().getTime() + 60 * 86_400_000);
    const local = `${when.getUTCFullYear()}-${String(when.getUTCMonth() + 1).padStart(2, '0')}-${String(when.getUTCDate()).padStart(2, '0')}T09:00`;
    await page.getByLabel('Date and time').fill(local);
    await page.getByLabel('Timezone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Propose' }).click();
    await page.getByText('Waiting for the reporter').waitFor();
    const reporter = { authorization: `Bearer ${receipt.followUpToken}` };
    const proposals = (await server.app.inject({ url: '/api/v1/portal/disclosure', headers: reporter })).json().proposals as Array<{ id: string; status: string; proposedBy: string }>;
    const open = proposals.find((p) => p.status === 'open' && p.proposedBy === 'team');
    expect(open).toBeDefined();
    const answered = await server.app.inject({ method: 'POST', url: `/api/v1/portal/disclosure/proposals/${open!.id}/answer`, headers: reporter, payload: { decision: 'accept' } });
    expect(answered.statusCode, answered.body).toBe(200);

    await page.reload();
    const agreed = page.getByTestId('agreed-disclosure');
    await agreed.waitFor();
    expect(await agreed.textContent()).toContain('Europe/Berlin');
    expect(await agreed.textContent()).toContain(String(when.getUTCFullYear()));
    expect(await page.getByRole('heading', { name: 'Audit trail' }).count()).toBe(1);
    await expect.poll(() => page.getByText('report.disclosure.accepted').count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-report');

    // From the report to a draft advisory, prefilled from the team's assessment.
    await page.getByRole('link', { name: 'Draft an advisory' }).click();
    await page.waitForURL(new RegExp(`/projects/payqi/advisories/new\\?report=${receipt.id}$`));
    await page.getByRole('button', { name: 'Create draft from this report' }).click();
    await page.waitForURL(/\/projects\/payqi\/advisories\/PAYQI-\d{4}-0001\/edit$/);
    const advisoryId = /advisories\/([^/]+)\/edit/.exec(page.url())![1]!;
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe(validReport.title);
    await expect.poll(() => page.getByLabel('CVSS 3.1 vector').inputValue()).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    const title = 'Path traversal in payqi file download';
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Summary').fill('The download endpoint reads files outside its directory');
    await page.getByLabel('Details (Markdown)').fill('Upgrade to **1.4.3**.');
    await page.getByLabel('CVE id').fill('CVE-2026-23456');
    await page.getByRole('button', { name: 'Add package' }).click();
    await page.getByLabel('Ecosystem').fill('npm');
    await page.getByLabel('Package name').fill('payqi-server');
    await page.getByLabel('Introduced').fill('1.2.0');
    await page.getByLabel('Fixed in').fill('1.4.3');
    const formats = page.getByRole('list', { name: 'Output formats' });
    for (const format of ['OSV', 'CSAF 2.0', 'CVE JSON 5.1']) {
      await expect.poll(async () => (await formats.getByText(`${format}: valid`).count()) || (await formats.textContent()), { timeout: 15_000 }).toBe(1);
    }
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-advisory-from-report');
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published.').waitFor();

    // The public pages: the list, the advisory, and the project's page.
    await page.goto(`${server.url}/advisories`);
    const listed = page.getByRole('list', { name: 'Advisories' }).getByRole('link', { name: title });
    await listed.waitFor();
    await listed.click();
    await page.waitForURL(new RegExp(`/advisories/${advisoryId}$`));
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    expect(await page.getByText('Critical').count()).toBeGreaterThan(0);
    expect(await page.getByText(`${advisoryId} · CVE-2026-23456`).count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'public-advisory-from-journey');
    await page.getByRole('link', { name: 'PayQI', exact: true }).click();
    await page.waitForURL(/\/p\/payqi$/);
    const projectAdvisories = page.locator('section').filter({ has: page.getByRole('heading', { level: 2, name: 'Advisories', exact: true }) });
    await projectAdvisories.getByRole('link', { name: title }).waitFor();

    // Both Atom feeds, fetched by the browser.
    for (const feed of ['/advisories.atom', '/p/payqi/advisories.atom']) {
      const fetched = (await page.evaluate(`fetch(${JSON.stringify(feed)}).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.text() }))`)) as { status: number; type: string; body: string };
      expect(fetched.status).toBe(200);
      expect(fetched.type).toContain('atom');
      expect(fetched.body).toContain(title);
      expect(fetched.body).toContain(advisoryId);
    }
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
  it('picks CWE ids from MITRE’s list by name or id, names each, flags discouraged ones and unknown ids, and adds labels', { timeout: 60_000 }, async () => {
    const submitted = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { ...validReport, title: 'Login form injection' } });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const reportId = submitted.json().id as string;
    const assessment = async () => (await server.app.inject({ url: `/api/v1/reports/${reportId}`, headers: owner })).json().assessment as { cweIds: string[]; labels: string[] };
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/reports/${reportId}`);
    const panel = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Assessment' }) });
    const find = panel.getByLabel('Find a weakness');
    await panel.getByText(/From MITRE's CWE 4\.17/).waitFor();

    // By words of the name: the matches are buttons, and the chosen one shows its name.
    await find.fill('sql injection');
    const matches = panel.getByRole('list', { name: 'Matching weaknesses' });
    await matches.getByRole('button', { name: /^CWE-564 SQL Injection: Hibernate/ }).waitFor();
    await matches.getByRole('button', { name: /^CWE-89 Improper Neutralization of Special Elements used in an SQL Command/ }).click();
    const chosen = panel.getByRole('list', { name: 'Weaknesses' });
    await chosen.getByText("Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')").waitFor();
    await expect.poll(async () => (await assessment()).cweIds).toEqual(['CWE-89']);
    expect(await find.inputValue()).toBe('');

    // By bare number and Enter; a discouraged entry is flagged; an id the list lacks is kept but marked.
    await find.fill('79');
    await find.press('Enter');
    await chosen.getByText("Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')").waitFor();
    await find.fill('cwe-20');
    await find.press('Enter');
    await chosen.getByText('MITRE discourages mapping a vulnerability to this entry; prefer a more specific weakness.').waitFor();
    await find.fill('CWE-99999');
    await find.press('Enter');
    await chosen.getByText('not in CWE 4.17: check the id at cwe.mitre.org').waitFor();
    await expect.poll(async () => (await assessment()).cweIds).toEqual(['CWE-89', 'CWE-79', 'CWE-20', 'CWE-99999']);

    await chosen.getByRole('button', { name: 'Remove CWE-20' }).click();
    await expect.poll(async () => (await assessment()).cweIds).toEqual(['CWE-89', 'CWE-79', 'CWE-99999']);
    expect(await chosen.getByText('MITRE discourages').count()).toBe(0);

    await panel.getByLabel('Add a label').fill('payments');
    await panel.getByLabel('Add a label').press('Enter');
    await expect.poll(async () => (await assessment()).labels).toEqual(['payments']);

    // After a reload the page shows what the server holds.
    await page.reload();
    await panel.getByRole('list', { name: 'Weaknesses' }).getByText("Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')").waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'report-assessment-cwe');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
  it('fits a phone screen on every team page a project admin uses, and on the reporter’s portal', { timeout: 90_000 }, async () => {
    const { page, watch } = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
    await signInInPage(page, server, clock, triager);
    const pages: Array<[name: string, path: string]> = [
      ['report', `/reports/${receipt.id}`],
      ['account', '/account'],
      ['project-settings', '/projects/payqi/settings'],
      ['metrics', '/projects/payqi/metrics'],
      ['advisory-new', '/projects/payqi/advisories/new'],
      ['portal', `/portal#token=${receipt.followUpToken}`],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      // Names the elements that stick out, so a failure says where to look.
      const overflowing = await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('pre, .table-scroll')).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')).slice(0, 5)`);
      expect(overflowing, name).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), name).toBeLessThanOrEqual(0);
      await screenshot(page, `${name}-phone`);
    }
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
