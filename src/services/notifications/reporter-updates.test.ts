import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../test/support/accounts.ts';
import { testContext } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../test/support/policies.ts';
import { CANARY, validReport } from '../../../test/support/reports.ts';
import { startTestSmtpServer } from '../../../test/support/smtp.ts';
import { deliverDueEmails } from '../../jobs/outbox-dispatcher.ts';
import { createSmtpMailer, type Mailer } from '../../mail/smtp-mailer.ts';
import { fanOutWebhookEvents } from '../webhooks/fan-out.ts';

const REPORTER = 'researcher@example.net';
const QUESTION = 'QUESTION-CANARY which reverse proxy do you run';

describe.each(databaseKinds)('mail to reporters about their report on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;
  let reportId: string;
  let humanId: string;

  const mailsAfter = async (cause: () => Promise<unknown>) => {
    const before = smtp.received.length;
    await cause();
    const ctx = testContext(h.database, h.now);
    await fanOutWebhookEvents(ctx);
    await deliverDueEmails(ctx, mailer);
    return smtp.received.slice(before).filter((m) => m.to.includes(REPORTER));
  };
  const act = (payload: object) => h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/actions`, headers: h.ownerAuth, payload });

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    smtp = await startTestSmtpServer();
    mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'embargo@example.org', domain: 'example.org' });
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('leher')).text } });
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await h?.close();
  });

  it('confirms receipt by email, without the report content or the token', async () => {
    const mails = await mailsAfter(async () => {
      const receipt = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: validReport })).json();
      reportId = receipt.id;
      humanId = receipt.humanId;
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.raw).toMatch(new RegExp(`^Subject: We received your report ${humanId}`, 'm'));
    expect(mails[0]!.text).not.toContain(CANARY);
    expect(mails[0]!.text).not.toMatch(/emb_rep_/);
  });

  it('tells the reporter each state change in plain words, never the team’s question itself', async () => {
    const acknowledged = await mailsAfter(() => act({ type: 'acknowledge' }));
    expect(acknowledged.map((m) => m.text)).toEqual([expect.stringMatching(/acknowledged your report/)]);
    const asked = await mailsAfter(() => act({ type: 'request_info', reason: QUESTION }));
    expect(asked).toHaveLength(1);
    expect(asked[0]!.text).toMatch(/needs more information/);
    expect(asked[0]!.text).not.toContain('QUESTION-CANARY');
  });

  it('mails nobody when the reporter gave no address', async () => {
    const { contact: _contact, ...anonymous } = validReport;
    const mails = await mailsAfter(() => h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { ...anonymous, title: 'No contact' } }));
    expect(mails).toEqual([]);
  });
});
