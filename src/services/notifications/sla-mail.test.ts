import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../test/support/accounts.ts';
import { testContext } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../test/support/policies.ts';
import { validReport } from '../../../test/support/reports.ts';
import { startTestSmtpServer } from '../../../test/support/smtp.ts';
import { deliverDueEmails } from '../../jobs/outbox-dispatcher.ts';
import { createSmtpMailer, type Mailer } from '../../mail/smtp-mailer.ts';
import { scanSlaClocks } from '../triage/sla-scan.service.ts';
import { fanOutWebhookEvents } from '../webhooks/fan-out.ts';

const HOUR = 60 * 60_000;
const PASSWORD = 'sla mail passphrase for tests';
// Leher acknowledges within 48 hours; this chain reminds 24 hours before, tells the assignee (no one is assigned: the triagers) at the breach, and a coordinator outside the team a day later.
const ESCALATION = `
escalation:
  remind_before: 24 hours
  steps:
    - notify: assignee
    - after_breach: 24 hours
      notify: { email: coordinator@cert.example }
`;

describe.each(databaseKinds)('SLA mail along the policy’s escalation chain on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;
  let humanId: string;

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date('2026-11-23T09:00:00Z') });
    smtp = await startTestSmtpServer();
    mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'embargo@example.org', domain: 'example.org' });
    const policy = `${(await examplePolicyExpiringIn('leher', 190, h.now())).text}${ESCALATION}`;
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } })).statusCode).toBe(201);
    for (const [email, role] of [['lead@example.org', 'project_admin'], ['triager@example.org', 'triager'], ['viewer@example.org', 'viewer']]) {
      await h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email, role: 'member', project: { slug: 'leher', role } } });
      const accepted = await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(email!, '/invitation#token='), password: PASSWORD } });
      expect(accepted.statusCode, accepted.body).toBe(201);
    }
    humanId = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: validReport })).json().humanId;
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await h?.close();
  });

  /** Moves the clock, runs the scan, the fan-out and delivery, and answers the deadline mails sent, as `recipient: subject`. */
  const deadlineMailsAfter = async (ms: number) => {
    h.advance(ms);
    const ctx = testContext(h.database, h.now);
    const before = smtp.received.length;
    await scanSlaClocks(ctx);
    await fanOutWebhookEvents(ctx);
    await deliverDueEmails(ctx, mailer);
    return smtp.received
      .slice(before)
      .map((m) => `${m.to.join()}: ${m.raw.match(/^Subject: (.*)$/m)![1]}`)
      .filter((line) => line.includes('Deadline'))
      .sort();
  };

  it('reminds, then escalates to exactly whom each step names, and nobody else', async () => {
    expect(await deadlineMailsAfter(25 * HOUR)).toEqual([`lead@example.org: [leher] Deadline due soon: ${humanId}`, `triager@example.org: [leher] Deadline due soon: ${humanId}`]);
    expect(await deadlineMailsAfter(24 * HOUR)).toEqual([`lead@example.org: [leher] Deadline breached: ${humanId}`, `triager@example.org: [leher] Deadline breached: ${humanId}`]);
    expect(await deadlineMailsAfter(24 * HOUR)).toEqual([`coordinator@cert.example: [leher] Deadline breached: ${humanId}`]);
    expect(await deadlineMailsAfter(24 * HOUR)).toEqual([]);
  });
});
