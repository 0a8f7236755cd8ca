import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../test/support/advisories.ts';
import { testContext } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../test/support/policies.ts';
import { CANARY, validReport } from '../../../test/support/reports.ts';
import { startTestSmtpServer } from '../../../test/support/smtp.ts';
import { deliverDueEmails } from '../../jobs/outbox-dispatcher.ts';
import { createSmtpMailer, type Mailer } from '../../mail/smtp-mailer.ts';
import type { ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { fanOutWebhookEvents } from '../webhooks/fan-out.ts';
import { sendDailyDigests } from './digest.service.ts';

const PASSWORD = 'team notification passphrase';
const SUBJECT = /^Subject: (.*)$/m;

describe.each(databaseKinds)('team notifications over SMTP on %s', (kind) => {
  let h: AdvisoryHarness;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;
  let ctx: ServiceContext;
  let report: { id: string; humanId: string; projectId: string; reporter: { authorization: string } };

  const invite = async (email: string, role: 'member' | 'admin', project?: { slug: string; role: string }) => {
    await h.call('POST', '/api/v1/invitations', { email, role, ...(project ? { project } : {}) });
    const accepted = await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(email, '/invitation#token='), password: PASSWORD } });
    if (accepted.statusCode !== 201) throw new Error(accepted.body);
  };
  /** Runs the outbox once and answers the team mails it sent, as `recipient: subject`. */
  const teamMailsOf = async (cause: () => Promise<unknown>) => {
    const before = smtp.received.length;
    await cause();
    await fanOutWebhookEvents(ctx);
    await deliverDueEmails(ctx, mailer);
    return smtp.received.slice(before).filter((m) => /^Subject: \[(payqi|leher|peft-studio)\]/m.test(m.raw)).map((m) => `${m.to.join()}: ${m.raw.match(SUBJECT)![1]}`).sort();
  };
  const event = (topic: string, payload: object) => () => h.database.db.transaction().execute((trx) => enqueueEvent(trx, ctx, topic, payload));

  beforeAll(async () => {
    h = await advisoryHarness(kind, ['payqi', 'leher']);
    smtp = await startTestSmtpServer();
    mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'embargo@example.org', domain: 'example.org' });
    ctx = testContext(h.database, h.now);
    await invite('padmin@example.org', 'member', { slug: 'payqi', role: 'project_admin' });
    await invite('triager@example.org', 'member', { slug: 'payqi', role: 'triager' });
    await invite('viewer@example.org', 'member', { slug: 'payqi', role: 'viewer' });
    await invite('other@example.org', 'member', { slug: 'leher', role: 'project_admin' });
    await invite('admin@example.org', 'admin');
    const triager = await h.browserLogin('triager@example.org', PASSWORD);
    const put = await h.app.inject({ method: 'PUT', url: '/api/v1/account/notification-preferences', headers: triager.headers, payload: { preferences: { 'report.received': 'off', 'report.message_posted': 'digest', 'sla.due_soon': 'digest' } } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().preferences).toEqual({
      'report.received': 'off',
      'report.message_posted': 'digest',
      'sla.due_soon': 'digest',
      'sla.breached': 'immediate',
      'disclosure.proposed': 'immediate',
      'disclosure.agreed': 'immediate',
      'advisory.scheduled': 'immediate',
      'advisory.published': 'immediate',
    });
    await deliverDueEmails(ctx, mailer);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await h?.close();
  });

  it('refuses an unknown event kind or delivery with its field path; security events are not listed', async () => {
    const session = await h.browserLogin('padmin@example.org', PASSWORD);
    const bad = await h.app.inject({ method: 'PUT', url: '/api/v1/account/notification-preferences', headers: session.headers, payload: { preferences: { 'account.lockout': 'off', 'report.received': 'never' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.preferences', 'body.preferences.report.received']);
    const got = await h.app.inject({ method: 'GET', url: '/api/v1/account/notification-preferences', headers: session.headers });
    expect(Object.values(got.json().preferences)).toEqual(Array(8).fill('immediate'));
  });

  it('mails each kind to exactly the project admins and triagers who want it now, with no report content', async () => {
    const received = await teamMailsOf(async () => {
      const submitted = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
      const { id, humanId, followUpToken } = submitted.json();
      const row = await h.database.db.selectFrom('report').select('project_id').where('id', '=', id).executeTakeFirstOrThrow();
      report = { id, humanId, projectId: row.project_id, reporter: { authorization: `Bearer ${followUpToken}` } };
    });
    const h1 = report.humanId;
    // The triager turned this kind off; viewers, other projects' admins and the organisation's owner and admins are not mailed.
    expect(received).toEqual([`padmin@example.org: [payqi] New report: ${h1}`]);
    expect(await teamMailsOf(() => h.call('POST', '/api/v1/portal/messages', { body: `reply ${CANARY}` }, report.reporter))).toEqual([`padmin@example.org: [payqi] New message from the reporter: ${h1}`]);
    expect(await teamMailsOf(() => h.call('POST', `/api/v1/reports/${report.id}/messages`, { body: `team ${CANARY}`, visibility: 'reporter' }))).toEqual([]);
    // SLA mail goes to whom the policy's escalation chain named when the scan fired the step (services/triage/sla-scan.service.ts), each member as they chose.
    const sla = { reportId: report.id, clock: 'acknowledge', dueAt: '2026-11-24T09:00:00.000Z' };
    const triagers = ['padmin@example.org', 'triager@example.org'];
    expect(await teamMailsOf(event('sla.due_soon', { ...sla, recipients: triagers }))).toEqual([`padmin@example.org: [payqi] Deadline due soon: ${h1}`]);
    const breached = (who: string[]) => who.map((w) => `${w}: [payqi] Deadline breached: ${h1}`);
    expect(await teamMailsOf(event('sla.breached', { ...sla, level: 1, recipients: ['triager@example.org'] }))).toEqual(breached(['triager@example.org']));
    // A later step naming the owners and an outside address reaches them, and not the project's team.
    expect(await teamMailsOf(event('sla.breached', { ...sla, level: 3, recipients: ['admin@example.org', 'owner@example.org', 'ciso@example.net'] }))).toEqual(breached(['admin@example.org', 'ciso@example.net', 'owner@example.org']));
    // The reporter's proposal reaches the team; a team member's own proposal reaches the rest of the team.
    const inAMonth = '2026-12-23T09:00:00.000Z';
    const proposed = (who: string[]) => who.map((w) => `${w}@example.org: [payqi] Disclosure date proposed: ${h1}`);
    expect(await teamMailsOf(() => h.call('POST', '/api/v1/portal/disclosure/proposals', { discloseAt: inAMonth, timezone: 'Europe/Berlin' }, report.reporter))).toEqual(proposed(['padmin', 'triager']));
    const padmin = await h.browserLogin('padmin@example.org', PASSWORD);
    expect(await teamMailsOf(() => h.call('POST', `/api/v1/reports/${report.id}/disclosure/proposals`, { discloseAt: inAMonth, timezone: 'UTC' }, padmin.headers))).toEqual(proposed(['triager']));
    expect(await teamMailsOf(event('disclosure.agreed', { reportId: report.id, projectId: report.projectId, discloseAt: '2027-01-15T08:00:00.000Z' }))).toEqual(['padmin', 'triager'].map((who) => `${who}@example.org: [payqi] Disclosure date agreed: ${h1}`));
    const advisoryId = await h.draft('payqi', advisoryBody);
    expect(await teamMailsOf(() => h.call('POST', `/api/v1/advisories/${advisoryId}/schedule`, { at: inAMonth }))).toEqual(['padmin', 'triager'].map((who) => `${who}@example.org: [payqi] Advisory scheduled: ${advisoryId}`));
    await h.call('POST', `/api/v1/advisories/${advisoryId}/unschedule`);
    expect(await teamMailsOf(() => h.call('POST', `/api/v1/advisories/${advisoryId}/publish`))).toEqual(['padmin', 'triager'].map((who) => `${who}@example.org: [payqi] Advisory published: ${advisoryId}`));

    const link = smtp.received.find((m) => m.raw.includes(`New report: ${h1}`))!;
    expect(link.text).toContain(`/reports/${report.id}`);
    expect(smtp.received.filter((m) => m.raw.includes(CANARY) || m.raw.includes(validReport.title))).toEqual([]);
  });

  it('collects digest choices into one daily digest per user and day', async () => {
    expect(await sendDailyDigests(ctx)).toBe(1);
    expect(await sendDailyDigests(ctx)).toBe(0);
    await deliverDueEmails(ctx, mailer);
    const [digest] = smtp.received.filter((m) => m.to.includes('triager@example.org') && /^Subject: Your Embargo digest/m.test(m.raw));
    expect(digest!.raw).toMatch(/^Subject: Your Embargo digest for 2026-11-23 \(2\)/m);
    expect(digest!.text).toContain(`New message from the reporter: ${report.humanId} (`);
    expect(digest!.text).toContain(`Deadline due soon: ${report.humanId} (`);
    expect(digest!.text).not.toContain(CANARY);

    // A later item waits for the next day's digest.
    await teamMailsOf(() => h.call('POST', '/api/v1/portal/messages', { body: 'again' }, report.reporter));
    expect(await sendDailyDigests(ctx)).toBe(0);
    h.advance(24 * 60 * 60_000);
    expect(await sendDailyDigests(ctx)).toBe(1);
  });
  it('mails a sign-in from a new address or browser, whatever the preferences say', async () => {
    const session = await h.browserLogin('viewer@example.org', PASSWORD);
    const off = Object.fromEntries(['report.received', 'report.message_posted', 'sla.due_soon', 'sla.breached', 'disclosure.proposed', 'disclosure.agreed', 'advisory.scheduled', 'advisory.published'].map((k) => [k, 'off']));
    expect((await h.app.inject({ method: 'PUT', url: '/api/v1/account/notification-preferences', headers: session.headers, payload: { preferences: off } })).statusCode).toBe(200);
    const signIn = (agent: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'user-agent': agent }, payload: { email: 'viewer@example.org', password: PASSWORD, mode: 'browser' } });
    const mailsOf = async (agent: string) => {
      const before = smtp.received.length;
      expect((await signIn(agent)).statusCode).toBe(200);
      await deliverDueEmails(ctx, mailer);
      return smtp.received.slice(before).filter((m) => m.to.includes('viewer@example.org'));
    };
    const agent = 'Evil <script>alert(1)</script> Browser';
    const [notice] = await mailsOf(agent);
    expect(notice!.raw).toMatch(/^Subject: New sign-in to your Embargo account/m);
    const parsed = await simpleParser(notice!.raw);
    expect(parsed.text).toContain(agent);
    expect(parsed.html).toContain('Evil &lt;script&gt;alert(1)&lt;/script&gt; Browser');
    expect(parsed.html).not.toContain('<script>');
    // The same address and browser again: nothing new to tell.
    expect(await mailsOf(agent)).toEqual([]);
  });

  it("tells the organisation's owners and admins of a report to a project with no admins or triagers yet, and only until it has some", async () => {
    const policy = (await examplePolicyExpiringIn('peft-studio', 190, h.now())).text;
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } })).statusCode).toBe(201);
    const submit = () => h.app.inject({ method: 'POST', url: '/api/v1/projects/peft-studio/reports', payload: validReport });
    const first = await teamMailsOf(submit);
    expect(first).toEqual(['admin@example.org', 'owner@example.org'].map((who) => `${who}: [peft-studio] New report: PEFTSTUDIO-2026-0001`));
    // A viewer does not act on reports, so the project still counts as unstaffed.
    await invite('peft-viewer@example.org', 'member', { slug: 'peft-studio', role: 'viewer' });
    expect(await teamMailsOf(submit)).toHaveLength(2);
    await invite('peft-triager@example.org', 'member', { slug: 'peft-studio', role: 'triager' });
    expect((await teamMailsOf(submit)).map((m) => m.split(':')[0])).toEqual(['peft-triager@example.org']);
  });

  it('escapes every value in the HTML body (a project named with markup), next to the plain text', async () => {
    const NAME = `<img src=x onerror="alert('x')"> & Co`;
    const policy = (await examplePolicyExpiringIn('peyghom', 190, h.now())).text.replace(/^(\s+name:) .*$/m, `$1 ${JSON.stringify(NAME)}`);
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } });
    expect(created.statusCode, created.body).toBe(201);
    await invite('xss@example.org', 'member', { slug: 'peyghom', role: 'project_admin' });
    const before = smtp.received.length;
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/projects/peyghom/reports', payload: validReport })).statusCode).toBe(201);
    await fanOutWebhookEvents(ctx);
    await deliverDueEmails(ctx, mailer);
    const [mail] = smtp.received.slice(before).filter((m) => m.to.includes('xss@example.org') && /^Subject: \[peyghom\] New report/m.test(m.raw));
    expect(mail!.raw).toMatch(/^Content-Type: multipart\/alternative/m);
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.text).toContain(`(${NAME})`);
    expect(parsed.html).toContain('(&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; Co)');
    expect(parsed.html).not.toMatch(/<img|onerror="/);
    expect(parsed.html).toMatch(/<a href="https:\/\/embargo\.test\/reports\/[0-9a-f-]{36}">/);
  });
});
