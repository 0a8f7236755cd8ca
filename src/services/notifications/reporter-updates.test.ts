import { decrypt, generateKey, readMessage, readPrivateKey } from 'openpgp';
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
const KEYED = 'keyholder@example.net';
const QUESTION = 'QUESTION-CANARY which reverse proxy do you run';

describe.each(databaseKinds)('mail to reporters about their report on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;
  let reportId: string;
  let humanId: string;
  let reporterAuth: { authorization: string };

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
      reporterAuth = { authorization: `Bearer ${receipt.followUpToken}` };
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

  it('tells the reporter of the team’s date proposal: a portal link without the date, or the date encrypted to their key', async () => {
    const DATE = '2027-01-15T08:00:00.000Z';
    const propose = (id: string) => () => h.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/disclosure/proposals`, headers: h.ownerAuth, payload: { discloseAt: DATE, timezone: 'UTC' } });
    const [plain] = await mailsAfter(propose(reportId));
    expect(plain!.raw).toMatch(new RegExp(`^Subject: A disclosure date was proposed for your report ${humanId}`, 'm'));
    expect(plain!.text).toContain('https://embargo.test/portal');
    expect(plain!.raw).not.toContain('2027');
    expect(plain!.raw).toMatch(/^Content-Type: multipart\/alternative/m);
    // The reporter's own proposal is not mailed back to them.
    const counter = async () => expect((await h.app.inject({ method: 'POST', url: '/api/v1/portal/disclosure/proposals', headers: reporterAuth, payload: { discloseAt: DATE, timezone: 'UTC' } })).statusCode).toBe(201);
    expect(await mailsAfter(counter)).toEqual([]);

    const key = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: KEYED }], format: 'armored' });
    const keyed = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { ...validReport, contact: { email: KEYED }, reporter_public_key: key.publicKey } })).json();
    const ctx = testContext(h.database, h.now);
    await fanOutWebhookEvents(ctx);
    await deliverDueEmails(ctx, mailer);
    const before = smtp.received.length;
    await propose(keyed.id)();
    await fanOutWebhookEvents(ctx);
    await deliverDueEmails(ctx, mailer);
    const [encrypted] = smtp.received.slice(before).filter((m) => m.to.includes(KEYED));
    expect(encrypted!.raw).toMatch(/^Content-Type: multipart\/encrypted/m);
    expect(encrypted!.raw).not.toMatch(/text\/html|2027/);
    const armoredMessage = encrypted!.raw.match(/-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/)![0];
    const { data } = await decrypt({ message: await readMessage({ armoredMessage }), decryptionKeys: await readPrivateKey({ armoredKey: key.privateKey }) });
    expect(data).toContain(`publish the details of your report ${keyed.humanId} on ${DATE}`);
  });

  it('mails nobody when the reporter gave no address', async () => {
    const { contact: _contact, ...anonymous } = validReport;
    const mails = await mailsAfter(() => h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { ...anonymous, title: 'No contact' } }));
    expect(mails).toEqual([]);
  });
});
