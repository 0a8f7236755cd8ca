import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDueWebhooks } from '../../src/jobs/webhook-dispatcher.ts';
import { fanOutWebhookEvents } from '../../src/services/webhooks/fan-out.ts';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

describe('project settings in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let admin: TeamMember;
  let policy: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let ownerToken: string;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    ownerToken = await setUpOwner(server.app, server.database);
    policy = (await examplePolicyExpiringIn('leher', 190, clock.now())).text;
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: { authorization: `Bearer ${ownerToken}` }, payload: { policy } })).statusCode).toBe(201);
    admin = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'lee@example.org', slug: 'leher', projectRole: 'project_admin', displayName: 'Lee Admin' });
    receiver = await startWebhookReceiver();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await server?.close();
  });

  it('shows a policy problem at its line, previews the documents as you type, and saves a revision', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/leher/settings`);
    const editor = page.getByLabel('Policy file (YAML)');
    await expect.poll(() => editor.inputValue()).toBe(policy);
    const securityMd = page.getByLabel('SECURITY.md preview');
    await expect.poll(() => securityMd.textContent()).toContain('Leher');

    const broken = policy.replace(/^(\s+expires:) .*$/m, '$1 not-a-date');
    const expiresLine = broken.split('\n').findIndex((line) => /^\s+expires: not-a-date/.test(line)) + 1;
    await editor.fill(broken);
    const problems = page.locator('#policy-problems');
    await expect.poll(() => problems.getByRole('button', { name: `Line ${expiresLine}` }).count(), { timeout: 10_000 }).toBe(1);
    expect(await problems.textContent()).toContain('security_txt.expires');
    expect(await page.locator('.code-gutter .gutter-error').textContent()).toBe(`${expiresLine}\n`);
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'settings-policy-lint');
    await problems.getByRole('button', { name: `Line ${expiresLine}` }).click();
    const caretLine = `(() => { const el = document.getElementById('policy-yaml'); return el.value.slice(0, el.selectionStart).split('\\n').length; })()`;
    expect(await page.evaluate(caretLine)).toBe(expiresLine);

    await editor.fill(policy.replace(/^(\s+name:) Leher$/m, '$1 Leher Ocean Sensors'));
    await expect.poll(() => securityMd.textContent(), { timeout: 10_000 }).toContain('Leher Ocean Sensors');
    expect(await page.locator('#policy-problems').textContent()).toContain('No problems found.');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Saved as revision 2.').waitFor();
    await expect.poll(() => page.locator('.revision-list li').count()).toBe(2);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'settings');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('creates a webhook, shows its secret once, and shows the delivery log with response status and redelivery', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/leher/settings#webhooks`);
    await page.getByLabel('Payload URL').fill(receiver.url);
    await page.getByLabel('report.received').check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.locator('code.secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    expect(await page.getByText(secret!).count()).toBe(0);

    // A report arrives; the fan-out and the dispatcher run as their jobs would. The receiver fails the first attempt.
    const submitted = await server.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { title: 't', description: 'd', steps_to_reproduce: 's', impact: 'i', affected_versions: { text: '1' } } });
    expect(submitted.statusCode).toBe(201);
    receiver.failNext(1);
    await fanOutWebhookEvents(server.ctx);
    await deliverDueWebhooks(server.ctx, { maxConsecutiveFailures: 10 });

    await page.getByText('Delivery log').click();
    const log = page.getByRole('table', { name: `Deliveries to ${receiver.url}` });
    await log.getByText('HTTP 500').waitFor();
    expect(await log.getByText('report.received').count()).toBe(1);
    await log.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByText('Queued for redelivery.').waitFor();
    await deliverDueWebhooks(server.ctx, { maxConsecutiveFailures: 10 });
    await page.reload();
    await page.getByText('Delivery log').click();
    await log.getByText('HTTP 200').waitFor();
    expect(await log.getByText('delivered').count()).toBe(1);
    expect(receiver.processedIds()).toHaveLength(1);

    await page.getByRole('button', { name: 'Disable webhook' }).click();
    await page.getByText('disabled', { exact: true }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'settings-webhooks');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });

  it('manages members and the intake key', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/leher/settings#members`);
    await page.getByRole('cell', { name: 'Lee Admin (lee@example.org)', exact: true }).waitFor();
    expect(await page.getByLabel('Role of Lee Admin (lee@example.org)').inputValue()).toBe('project_admin');

    await page.getByRole('button', { name: 'Generate a key pair' }).click();
    await page.getByText('A new key pair is in use').waitFor();
    await page.getByText('Embargo decrypts at intake').waitFor();
    expect(await page.getByText('Public key (as published').count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'settings-keys');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
  it('adds a member by user id, changes their role, and removes them', { timeout: 60_000 }, async () => {
    const owner = { authorization: `Bearer ${ownerToken}` };
    await invitedMemberWithMfa(server, clock, ownerToken, { email: 'val@example.org', displayName: 'Val Viewer' });
    const { users } = (await server.app.inject({ url: '/api/v1/users', headers: owner })).json() as { users: Array<{ id: string; email: string }> };
    const valId = users.find((u) => u.email === 'val@example.org')!.id;
    const roleOfVal = async () => ((await server.app.inject({ url: '/api/v1/projects/leher/members', headers: owner })).json() as { members: Array<{ userId: string; role: string }> }).members.find((m) => m.userId === valId)?.role;

    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/leher/settings#members`);
    // A project admin may not list the organisation's people, so the form takes a user id.
    await page.getByLabel('User id').fill(valId);
    await page.getByLabel('Project role').selectOption('viewer');
    await page.getByRole('button', { name: 'Add member' }).click();
    const role = page.getByLabel('Role of Val Viewer (val@example.org)');
    await role.waitFor();
    expect(await role.inputValue()).toBe('viewer');
    expect(await roleOfVal()).toBe('viewer');

    await role.selectOption('triager');
    await expect.poll(roleOfVal).toBe('triager');
    await page.reload();
    expect(await page.getByLabel('Role of Val Viewer (val@example.org)').inputValue()).toBe('triager');

    await page.getByRole('button', { name: 'Remove Val Viewer (val@example.org)' }).click();
    await expect.poll(() => page.getByLabel('Role of Val Viewer (val@example.org)').count()).toBe(0);
    expect(await roleOfVal()).toBeUndefined();
    // The admin's own row is untouched.
    expect(await page.getByLabel('Role of Lee Admin (lee@example.org)').inputValue()).toBe('project_admin');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
