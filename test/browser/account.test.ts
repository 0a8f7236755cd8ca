import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_TOPIC, openEmailPayload } from '../../src/services/outbox.service.ts';
import { listOutboxEvents } from '../../src/storage/repositories/outbox.repository.ts';
import { totpCode } from '../support/accounts.ts';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, screenshot, seriousAccessibilityViolations, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { apiSession, invitedMemberWithMfa, movableClock, signInInPage } from '../support/team-session.ts';

const EMAIL = 'nina@example.org';
const PASSWORD = 'a long and careful passphrase 42';

/**
 * A new member joins from the invitation link, enrols an authenticator app
 * from the account page (reading the secret off the page, as a phone would
 * read the QR code), sees the recovery codes once, creates an API token
 * (shown once, and it works), and ends another session.
 */
describe('account page in a real browser', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let ownerToken: string;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    ownerToken = await setUpOwner(server.app, server.database);
    const owner = { authorization: `Bearer ${ownerToken}` };
    const policy = await examplePolicyExpiringIn('payqi', 190, clock.now());
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy: policy.text } })).statusCode).toBe(201);
    const invited = await server.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: owner, payload: { email: EMAIL, role: 'member', project: { slug: 'payqi', role: 'triager' } } });
    expect(invited.statusCode).toBe(201);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('joins by invitation, enrols MFA, keeps recovery codes and a token shown once, and ends a session', async () => {
    const { page, watch } = await watchedPage(browser);
    page.setDefaultTimeout(15_000);

    // Asking for a password reset answers the same whether or not the account exists.
    await page.goto(`${server.url}/reset-password`);
    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill('nobody@example.org');
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    await page.getByText('If an account uses nobody@example.org').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-reset-password');

    // The invitation link carries its token in the fragment; a weak password gets the policy's words.
    const mails = (await listOutboxEvents(server.database.db, EMAIL_TOPIC)).map((event) => openEmailPayload(server.ctx, event));
    const token = mails.find((m) => m.to === EMAIL)?.text.match(/#token=([A-Za-z0-9_-]+)/)?.[1];
    expect(token).toBeDefined();
    await page.goto(`${server.url}/invitation#token=${token}`);
    await page.getByRole('heading', { level: 1, name: 'Join the security team' }).waitFor();
    expect(page.url()).not.toContain('token');
    await page.getByLabel('Your name').fill('Nina Member');
    await page.getByLabel('Password').first().fill('short');
    await page.getByLabel('Password again').fill('short');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.locator('.field-error').first().waitFor();
    expect(await page.locator('.field-error').first().textContent()).toMatch(/12/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-invitation');
    await page.getByLabel('Password').first().fill(PASSWORD);
    await page.getByLabel('Password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('Your account').first().waitFor();

    // Sign in on the login page (no MFA yet) and go to the account page.
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/inbox$/);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-account');

    // MFA enrolment: re-authenticate, "scan" (read the secret), confirm with a code.
    const mfa = page.locator('#mfa');
    await mfa.getByLabel('Current password').fill(PASSWORD);
    await mfa.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await expect.poll(() => page.locator('.qr svg').count()).toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-account-mfa-enrol');
    await page.getByLabel('Code from the app').fill(totpCode(secret, clock.now()));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    const codes = page.getByTestId('recovery-codes').getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBeGreaterThanOrEqual(8);
    const download = page.getByRole('link', { name: 'Download as a text file' });
    expect(await download.getAttribute('href')).toMatch(/^blob:/);
    await screenshot(page, 'team-account-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText('Signing in needs a code from your authenticator app.').waitFor();
    await page.reload();
    await page.getByText('Signing in needs a code from your authenticator app.').waitFor();
    expect(await page.getByTestId('recovery-codes').count()).toBe(0);

    // An API token, shown once, that works.
    await page.getByLabel('Token name').fill('CI export');
    await page.getByRole('checkbox', { name: 'reports:read' }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await shown.waitFor();
    const apiToken = (await shown.textContent())!.trim();
    expect(apiToken).toMatch(/^emb_pat_/);
    expect((await server.app.inject({ url: '/api/v1/reports', headers: { authorization: `Bearer ${apiToken}` } })).statusCode).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    expect(await page.getByRole('cell', { name: 'CI export', exact: true }).count()).toBe(1);

    // Another session (a second device) is listed and ended from here.
    clock.advance(30_000);
    const other = await apiSession(server, clock, { email: EMAIL, password: PASSWORD, totpSecret: secret });
    expect((await server.app.inject({ url: '/api/v1/me', headers: other.headers })).statusCode).toBe(200);
    await page.reload();
    const rows = page.getByTestId('session-row');
    await expect.poll(() => rows.count()).toBe(2);
    await rows.filter({ hasNotText: 'this session' }).getByRole('button', { name: 'End session' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect((await server.app.inject({ url: '/api/v1/me', headers: other.headers })).statusCode).toBe(401);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'team-account-done');
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  }, 90_000);
  it('changes the password with the current one and a fresh code, says what a weak one lacks, and signs out the other sessions', { timeout: 60_000 }, async () => {
    const member = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'pat@example.org', slug: 'payqi', projectRole: 'triager' });
    const other = await apiSession(server, clock, member);
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, member);
    await page.goto(`${server.url}/account`);
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Change password' }) });
    const fill = async (current: string, next: string) => {
      clock.advance(30_000); // each code is good once per time step
      await form.getByLabel('Current password').fill(current);
      await form.getByLabel('Authentication code').fill(totpCode(member.totpSecret, clock.now()));
      await form.getByLabel('New password').fill(next);
      await form.getByRole('button', { name: 'Change password' }).click();
    };

    await fill('not my password', 'an even longer and more careful passphrase');
    await form.getByRole('alert').waitFor();
    await fill(member.password, 'short');
    await expect.poll(() => form.locator('.field-error').textContent()).toMatch(/12/);
    expect(await form.getByLabel('New password').getAttribute('aria-invalid')).toBe('true');
    expect((await server.app.inject({ url: '/api/v1/me', headers: other.headers })).statusCode).toBe(200);

    const replaced = 'an even longer and more careful passphrase';
    await fill(member.password, replaced);
    // The other two: the session the member enrolled MFA in, and `other`.
    await form.getByRole('status').getByText('Password changed; 2 other sessions signed out.').waitFor();
    expect(await form.getByLabel('Current password').inputValue()).toBe('');
    expect((await server.app.inject({ url: '/api/v1/me', headers: other.headers })).statusCode).toBe(401);
    // This session goes on; the old password no longer signs in, the new one does.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    const oldLogin = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: member.email, password: member.password, mode: 'browser' } });
    expect(oldLogin.statusCode).toBe(401);
    await apiSession(server, clock, { ...member, password: replaced });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(watch).toEqual({ dialogs: [], cspViolations: [], pageErrors: [] });
  });
});
