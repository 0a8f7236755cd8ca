import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { deliverDueWebhooks } from '../../src/jobs/webhook-dispatcher.ts';
import { fanOutWebhookEvents } from '../../src/services/webhooks/fan-out.ts';
import { EMAIL_TOPIC, openEmailPayload } from '../../src/services/outbox.service.ts';
import { listOutboxEvents } from '../../src/storage/repositories/outbox.repository.ts';
import { totpCode } from '../support/accounts.ts';
import { setUpOwner } from '../support/app.ts';
import { launchBrowser, startUiServer, watchedPage, type UiServer } from '../support/browser.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { invitedMemberWithMfa, movableClock, signInInPage, type TeamMember } from '../support/team-session.ts';
import { expectInert, IMG, JS_URL, MARKDOWN_TRICKS, SCRIPT } from '../support/xss.ts';

const DAY = 86_400_000;
const HOSTILE = `${IMG} ${SCRIPT} ${JS_URL}`;

/** A webhook receiver that answers with an HTML page of script, which the delivery log keeps as its response excerpt. */
async function hostileReceiver(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(500, { 'content-type': 'text/html' }).end(`<html>${HOSTILE}<a href="${JS_URL}">x</a></html>`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, server };
}

/**
 * Fields of the team pages the other XSS tests leave out, filled with
 * script, javascript: links and Markdown tricks: disclosure reasons from both
 * sides (also echoed into the thread as notes), answers to the project's own
 * questions, API token names, session user agents, a webhook receiver's
 * answer, a slug from the address bar, and the invitation form.
 */
describe('more team fields render hostile input inert', () => {
  const clock = movableClock();
  let server: UiServer;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof hostileReceiver>>;
  let ownerToken: string;
  let triager: TeamMember;
  let reportId: string;
  let followUpToken: string;

  beforeAll(async () => {
    server = await startUiServer({ now: clock.now });
    ownerToken = await setUpOwner(server.app, server.database);
    const owner = { authorization: `Bearer ${ownerToken}` };
    const policy = parse((await examplePolicyExpiringIn('payqi', 190, clock.now())).text);
    policy.report_form.extra_questions = [{ id: 'environment', type: 'text', label: 'Environment' }];
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy: stringify(policy) } })).statusCode).toBe(201);
    triager = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'tri@example.org', slug: 'payqi', projectRole: 'triager', displayName: 'Tri Ager' });
    receiver = await hostileReceiver();
    const hook = await server.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/webhooks', headers: owner, payload: { url: receiver.url, eventTypes: ['report.received'] } });
    expect(hook.statusCode, hook.body).toBe(201);

    const submitted = await server.app.inject({
      method: 'POST',
      url: '/api/v1/projects/payqi/reports',
      payload: { title: 'Refund IDOR', description: 'd', steps_to_reproduce: 's', impact: 'i', answers: { environment: `${HOSTILE}\n\n${MARKDOWN_TRICKS}` } },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    reportId = submitted.json().id;
    followUpToken = submitted.json().followUpToken;
    const reporter = { authorization: `Bearer ${followUpToken}` };
    const at = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString();
    // Team, then reporter, then team again: every reason stays on the team page, the last one is open on the portal.
    for (const [headers, url, days, who] of [[owner, `/api/v1/reports/${reportId}/disclosure/proposals`, 60, 'team'], [reporter, '/api/v1/portal/disclosure/proposals', 30, 'reporter'], [owner, `/api/v1/reports/${reportId}/disclosure/proposals`, 45, 'team again']] as const) {
      const proposed = await server.app.inject({ method: 'POST', url, headers, payload: { discloseAt: at(days), timezone: 'UTC', reason: `${who} ${HOSTILE}\n\n${MARKDOWN_TRICKS}` } });
      expect(proposed.statusCode, proposed.body).toBe(201);
    }
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/portal/messages', headers: reporter, payload: { body: `reporter says ${MARKDOWN_TRICKS}` } })).statusCode).toBe(201);
    expect((await server.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/messages`, headers: owner, payload: { body: `team says ${MARKDOWN_TRICKS}` } })).statusCode).toBe(201);
    await fanOutWebhookEvents(server.ctx);
    await deliverDueWebhooks(server.ctx, { maxConsecutiveFailures: 10 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => receiver?.server.close(resolve));
    await server?.close();
  });

  it('report page: disclosure reasons from both sides, the notes they leave in the thread, and answers to extra questions', { timeout: 60_000 }, async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/reports/${reportId}`);
    const disclosure = page.getByRole('region', { name: 'Disclosure date' });
    await disclosure.getByText(`Reason: team again ${HOSTILE}`, { exact: false }).waitFor();
    for (const who of ['team', 'reporter']) expect(await disclosure.getByText(`Reason: ${who} ${HOSTILE}`, { exact: false }).count()).toBe(1);
    const main = (await page.locator('main').textContent())!;
    expect(main).toContain(HOSTILE);
    expect(main).toContain('raw entity link');
    await page.getByText('team says').waitFor();
    await page.getByText('reporter says').waitFor();
    await expectInert(page, watch);
  });

  it('portal: the team’s open proposal and its reason', async () => {
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/portal#token=${followUpToken}`);
    // The reason shows on the open proposal and again in the thread's note about it.
    await page.getByRole('complementary').getByText(`team again ${HOSTILE}`, { exact: false }).waitFor();
    await page.getByRole('list', { name: 'Messages' }).getByText('team says').waitFor();
    await expectInert(page, watch);
  });

  it('account page: a token named with script, made in the form, and a session whose user agent is script', { timeout: 60_000 }, async () => {
    // The user agent is what the client says; this one signs in over the API with a hostile header.
    const agent = { 'user-agent': `Mozilla ${HOSTILE}` };
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: agent, payload: { email: triager.email, password: triager.password, mode: 'browser' } });
    clock.advance(30_000);
    const mfa = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login/mfa', headers: agent, payload: { challenge: login.json().challenge, code: totpCode(triager.totpSecret, clock.now()) } });
    expect(mfa.statusCode, mfa.body).toBe(200);

    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/account`);
    await page.getByText(`Mozilla ${HOSTILE}`, { exact: false }).waitFor();
    const tokenName = `${IMG}${SCRIPT}`.slice(0, 100);
    await page.getByLabel('Token name').fill(tokenName);
    await page.getByRole('group', { name: 'Scopes' }).getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: `New token “${tokenName}”` }).waitFor();
    await page.getByRole('cell', { name: tokenName, exact: true }).waitFor();
    await expectInert(page, watch);
  });

  it('project settings: the delivery log shows the receiver’s hostile answer as text', { timeout: 60_000 }, async () => {
    const admin = await invitedMemberWithMfa(server, clock, ownerToken, { email: 'pa@example.org', slug: 'payqi', projectRole: 'project_admin' });
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, admin);
    await page.goto(`${server.url}/projects/payqi/settings#webhooks`);
    await page.getByText('Delivery log').click();
    const log = page.getByRole('table', { name: `Deliveries to ${receiver.url}` });
    await log.getByText('HTTP 500').waitFor();
    expect(await log.locator('pre.excerpt').textContent()).toContain(HOSTILE);
    await expectInert(page, watch);
  });

  it('metrics page: a hostile slug from the address bar is text, and the real dashboard holds no markup', async () => {
    const { page, watch } = await watchedPage(browser);
    await signInInPage(page, server, clock, triager);
    await page.goto(`${server.url}/projects/${encodeURIComponent(IMG)}/metrics`);
    await page.getByRole('heading', { level: 1, name: `Response metrics of ${IMG}` }).waitFor();
    await page.getByRole('alert').waitFor();
    await expectInert(page, watch);
    await page.goto(`${server.url}/projects/payqi/metrics`);
    await page.getByRole('figure', { name: /Time to acknowledge per week/ }).waitFor();
    await expectInert(page, watch);
  });

  it('invitation page: a hostile name submitted through the form', async () => {
    const invited = await server.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: { authorization: `Bearer ${ownerToken}` }, payload: { email: 'new@example.org', role: 'member' } });
    expect(invited.statusCode).toBe(201);
    const mails = (await listOutboxEvents(server.database.db, EMAIL_TOPIC)).map((event) => openEmailPayload(server.ctx, event));
    const token = mails.find((m) => m.to === 'new@example.org')?.text.match(/#token=([A-Za-z0-9_-]+)/)?.[1];
    const { page, watch } = await watchedPage(browser);
    await page.goto(`${server.url}/invitation#token=${token}`);
    await page.getByLabel('Your name').fill(HOSTILE);
    await page.getByLabel('Password').first().fill(triager.password);
    await page.getByLabel('Password again').fill(triager.password);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('status').filter({ hasText: 'new@example.org' }).waitFor();
    await expectInert(page, watch);
  });
});
