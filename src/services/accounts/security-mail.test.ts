import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness, totpCode } from '../../../test/support/accounts.ts';
import { testContext } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { startTestSmtpServer } from '../../../test/support/smtp.ts';
import { deliverDueEmails } from '../../jobs/outbox-dispatcher.ts';
import { createSmtpMailer, type Mailer } from '../../mail/smtp-mailer.ts';

const MEMBER = 'member@example.org';
const PASSWORD = 'security mail passphrase';
const everyKind = ['report.received', 'report.message_posted', 'sla.due_soon', 'sla.breached', 'disclosure.proposed', 'disclosure.agreed', 'advisory.scheduled', 'advisory.published'];

describe.each(databaseKinds)('account security mail over SMTP on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;

  /** Subjects of the mails a cause sent over SMTP, as `recipient: subject`. */
  const mailsOf = async (cause: () => Promise<unknown>) => {
    const before = smtp.received.length;
    await cause();
    await deliverDueEmails(testContext(h.database, h.now), mailer);
    return smtp.received.slice(before).map((m) => `${m.to.join()}: ${m.raw.match(/^Subject: (.*)$/m)![1]}`);
  };

  beforeAll(async () => {
    h = await accountsHarness(kind);
    smtp = await startTestSmtpServer();
    mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'embargo@example.org', domain: 'example.org' });
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email: MEMBER, role: 'member' } });
    const accepted = await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(MEMBER, '/invitation#token='), password: PASSWORD } });
    expect(accepted.statusCode, accepted.body).toBe(201);
    await deliverDueEmails(testContext(h.database, h.now), mailer);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await h?.close();
  });

  it('mails MFA turned on and off, and a lockout, to the account alone, though every notification is turned off', async () => {
    const session = await h.browserLogin(MEMBER, PASSWORD);
    const off = await h.app.inject({ method: 'PUT', url: '/api/v1/account/notification-preferences', headers: session.headers, payload: { preferences: Object.fromEntries(everyKind.map((k) => [k, 'off'])) } });
    expect(off.statusCode, off.body).toBe(200);

    let secret = '';
    expect(await mailsOf(async () => (secret = (await h.enrolTotp(session.headers, PASSWORD)).secret))).toEqual([`${MEMBER}: MFA was turned on for your Embargo account`]);
    h.advance(30_000);
    const disable = () => h.app.inject({ method: 'POST', url: '/api/v1/account/mfa/totp/disable', headers: session.headers, payload: { currentPassword: PASSWORD, code: totpCode(secret, h.now()) } });
    expect(await mailsOf(async () => expect((await disable()).statusCode).toBe(204))).toEqual([`${MEMBER}: MFA was turned off for your Embargo account`]);

    const lockout = await mailsOf(async () => {
      for (let i = 0; i < 5; i++) expect((await h.login(MEMBER, `wrong guess ${i}`)).statusCode).toBe(401);
    });
    expect(lockout).toEqual([`${MEMBER}: Your Embargo account was locked after failed sign-ins`]);
    const [mail] = smtp.received.filter((m) => /locked after failed/.test(m.raw));
    expect(mail!.text).toMatch(/The account is locked until \d{4}-\d{2}-\d{2}T/);
    expect(mail!.text).not.toContain('wrong guess');
    // Further failures while locked do not flood the mailbox.
    expect(await mailsOf(() => h.login(MEMBER, 'wrong again'))).toEqual([]);
  });
});
