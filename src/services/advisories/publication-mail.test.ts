import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../test/support/advisories.ts';
import { testContext } from '../../../test/support/app.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { startTestSmtpServer } from '../../../test/support/smtp.ts';
import { deliverDueEmails } from '../../jobs/outbox-dispatcher.ts';
import { createSmtpMailer, type Mailer } from '../../mail/smtp-mailer.ts';

describe.each(databaseKinds)('the mail telling reporters their advisory is published, on %s', (kind) => {
  let h: AdvisoryHarness;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;

  beforeAll(async () => {
    h = await advisoryHarness(kind);
    smtp = await startTestSmtpServer();
    mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'embargo@example.org', domain: 'example.org' });
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await h?.close();
  });

  it('reaches each linked reporter who gave an address and says how the advisory credits them', async () => {
    const named = await h.acceptedReport('payqi', { mode: 'named', name: 'Ada Researcher' }, { email: 'ada@example.net' });
    const dropped = await h.acceptedReport('payqi', { mode: 'named', name: 'Grace Hopper' }, { email: 'grace@example.net' });
    const anonymous = await h.acceptedReport('payqi', { mode: 'anonymous' }, { email: 'anon@example.net' });
    const uncredited = await h.acceptedReport('payqi', { mode: 'none' }, { email: 'none@example.net' });
    const silent = await h.acceptedReport('payqi', { mode: 'named', name: 'No Address' }, {});
    const reports = [named, dropped, anonymous, uncredited, silent];
    const created = await h.call('POST', '/api/v1/projects/payqi/advisories', { ...advisoryBody, reportIds: reports.map((r) => r.id) });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().advisory.id as string;
    // The team keeps Ada's credit and drops Grace's (consent allows leaving a name out, never adding one).
    expect((await h.call('PATCH', `/api/v1/advisories/${id}`, { credits: [{ name: 'Ada Researcher', type: 'REPORTER' }, { name: 'No Address', type: 'REPORTER' }] })).statusCode).toBe(200);
    const ctx = testContext(h.database, h.now);
    await deliverDueEmails(ctx, mailer);
    const before = smtp.received.length;
    expect((await h.call('POST', `/api/v1/advisories/${id}/publish`)).statusCode).toBe(200);
    await deliverDueEmails(ctx, mailer);
    const mails = smtp.received.slice(before).filter((m) => /^Subject: Advisory .* is published/m.test(m.raw));
    const to = (address: string) => mails.filter((m) => m.to.includes(address)).map((m) => m.text);

    expect(mails.flatMap((m) => m.to).sort()).toEqual(['ada@example.net', 'anon@example.net', 'grace@example.net', 'none@example.net']);
    expect(to('ada@example.net')).toEqual([expect.stringContaining('It credits you as "Ada Researcher".')]);
    expect(to('grace@example.net')).toEqual([expect.stringContaining('You asked to be credited as "Grace Hopper", but the advisory does not list that name')]);
    expect(to('anon@example.net')).toEqual([expect.stringContaining('As you asked, the advisory does not name you.')]);
    expect(to('none@example.net')).toEqual([expect.stringContaining('As you asked, the advisory does not credit you.')]);
    for (const mail of mails) expect(mail.text).toContain(`/api/v1/projects/payqi/advisories/${id}`);
    // The reporter without an address reads the same words in the portal.
    const portal = (await h.call('GET', '/api/v1/portal/report', undefined, silent.reporter)).json();
    expect(portal.messages.map((m: { body: string }) => m.body).join('\n')).toContain('It credits you as "No Address".');
  });
});
