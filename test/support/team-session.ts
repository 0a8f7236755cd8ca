import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/http/plugins/access-control.ts';
import { EMAIL_TOPIC, openEmailPayload } from '../../src/services/outbox.service.ts';
import { listOutboxEvents } from '../../src/storage/repositories/outbox.repository.ts';
import { totpCode } from './accounts.ts';
import type { UiServer } from './browser.ts';

/** A movable clock for a UI server: TOTP codes are single-use per time step, so a test steps past the one it just used. */
export function movableClock(start = new Date()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now = new Date(now.getTime() + ms)) };
}

export interface TeamMember {
  email: string;
  password: string;
  totpSecret: string;
}

/**
 * A team member as an admin would create one: invited (organisation role
 * `member` unless given, a project role on `slug` if given), invitation accepted from the mailed
 * link, TOTP enrolled. Returns what they sign in with.
 */
export async function invitedMemberWithMfa(
  server: UiServer,
  clock: ReturnType<typeof movableClock>,
  ownerToken: string,
  options: { email: string; role?: 'admin' | 'member'; slug?: string; projectRole?: 'project_admin' | 'triager' | 'viewer'; displayName?: string },
): Promise<TeamMember> {
  const password = 'a long and careful passphrase 42';
  const invited = await server.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: { authorization: `Bearer ${ownerToken}` }, payload: { email: options.email, role: options.role ?? 'member', ...(options.slug && options.projectRole ? { project: { slug: options.slug, role: options.projectRole } } : {}) } });
  if (invited.statusCode !== 201) throw new Error(`invite failed: ${invited.body}`);
  const mails = (await listOutboxEvents(server.database.db, EMAIL_TOPIC)).map((event) => openEmailPayload(server.ctx, event));
  const token = mails.filter((m) => m.to === options.email).at(-1)?.text.match(/#token=([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no invitation mailed to ${options.email}`);
  const accepted = await server.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password, ...(options.displayName ? { displayName: options.displayName } : {}) } });
  if (accepted.statusCode !== 200 && accepted.statusCode !== 201) throw new Error(`accept failed: ${accepted.body}`);
  return withTotpEnrolled(server, clock, options.email, password);
}

/** Signs `email` in, enrols an authenticator as the account page does, and returns what they now sign in with. */
export async function withTotpEnrolled(server: UiServer, clock: ReturnType<typeof movableClock>, email: string, password: string): Promise<TeamMember> {
  const session = await apiSession(server, clock, { email, password, totpSecret: '' });
  const begin = await server.app.inject({ method: 'POST', url: '/api/v1/account/mfa/totp', headers: session.headers, payload: { currentPassword: password } });
  if (begin.statusCode !== 200) throw new Error(`enrol failed: ${begin.body}`);
  const totpSecret = begin.json().secret as string;
  const confirm = await server.app.inject({ method: 'POST', url: '/api/v1/account/mfa/totp/confirm', headers: session.headers, payload: { code: totpCode(totpSecret, clock.now()) } });
  if (confirm.statusCode !== 200) throw new Error(`confirm failed: ${confirm.body}`);
  return { email, password, totpSecret };
}

/** Signs in the way the browser does (`mode: browser`), answering the MFA challenge; returns the session cookie value and CSRF token. */
export async function apiSession(server: UiServer, clock: ReturnType<typeof movableClock>, member: TeamMember) {
  let response = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: member.email, password: member.password, mode: 'browser' } });
  if (response.json().kind === 'mfa_required') {
    clock.advance(30_000); // a fresh time step: the previous code may have been used already
    response = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login/mfa', payload: { challenge: response.json().challenge, code: totpCode(member.totpSecret, clock.now()) } });
  }
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const setCookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith(`${SESSION_COOKIE}=`));
  if (!setCookie) throw new Error('no session cookie');
  const value = setCookie.split(';')[0]!.slice(SESSION_COOKIE.length + 1);
  const csrf = response.json().csrfToken as string;
  return { value, csrf, headers: { cookie: `${SESSION_COOKIE}=${value}`, 'x-csrf-token': csrf } };
}

/**
 * Signs in through the /login page as a member would: email and password,
 * then (if enrolled) a TOTP code computed here as their authenticator app
 * would. The page is left on the page the sign-in lands on (the inbox).
 */
export async function signInInPage(page: Page, server: UiServer, clock: ReturnType<typeof movableClock>, member: TeamMember): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const code = page.getByLabel('Authentication code');
  const signedIn = page.getByRole('button', { name: 'Sign out' });
  const refused = page.getByRole('alert');
  await code.or(signedIn).or(refused).first().waitFor();
  if (await code.count()) {
    clock.advance(30_000); // a fresh time step: the previous code may have been used already
    await code.fill(totpCode(member.totpSecret, clock.now()));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await signedIn.or(refused).first().waitFor();
  }
  if (!(await signedIn.count())) throw new Error(`sign-in failed: ${await refused.first().textContent()}`);
}
