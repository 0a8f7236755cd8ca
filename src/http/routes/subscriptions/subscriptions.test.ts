import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../../test/support/advisories.ts';
import { testContext } from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { startTestSmtpServer, type ReceivedMail } from '../../../../test/support/smtp.ts';
import { deliverDueEmails } from '../../../jobs/outbox-dispatcher.ts';
import { createSmtpMailer, type Mailer } from '../../../mail/smtp-mailer.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { fanOutWebhookEvents } from '../../../services/webhooks/fan-out.ts';

/** A header of a raw mail, unfolded. */
function header(mail: ReceivedMail, name: string): string | undefined {
  const head = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  return head.match(new RegExp(`^${name}: (.*)$`, 'im'))?.[1]?.trim();
}

describe.each(databaseKinds)('advisory subscriptions over SMTP on %s', (kind) => {
  let h: AdvisoryHarness;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;
  let ctx: ServiceContext;
  let published = 0;

  beforeAll(async () => {
    h = await advisoryHarness(kind, ['payqi', 'leher']);
    smtp = await startTestSmtpServer();
    mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'embargo@example.org', domain: 'example.org' });
    ctx = testContext(h.database, h.now);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await h?.close();
  });

  const deliver = async () => {
    await fanOutWebhookEvents(ctx);
    await deliverDueEmails(ctx, mailer);
  };
  const mailsTo = (to: string) => smtp.received.filter((m) => m.to.includes(to));
  const subscribe = (payload: object) => h.app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload });
  /** The token of the page link in a mail's text (`/subscriptions/{page}#token=…`). */
  const tokenIn = (mail: ReceivedMail, page: 'confirm' | 'unsubscribe') => mail.text.match(new RegExp(`https?://\\S+/subscriptions/${page}#token=([\\w.-]+)`))?.[1] ?? '';
  /** What the page behind the link does when its button is pressed. */
  const press = (page: 'confirm' | 'unsubscribe', token: string) => h.app.inject({ method: 'POST', url: `/api/v1/subscriptions/${page}?token=${token}` });
  /** What a mail client does with List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  const oneClick = (mail: ReceivedMail) =>
    h.app.inject({ method: 'POST', url: header(mail, 'List-Unsubscribe')!.replace(/^<https?:\/\/[^/]+/, '').replace(/>$/, ''), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
  const subscribeConfirmed = async (email: string, project?: string) => {
    expect((await subscribe({ email, ...(project ? { project } : {}) })).statusCode).toBe(202);
    await deliver();
    const confirmation = mailsTo(email).at(-1)!;
    expect((await press('confirm', tokenIn(confirmation, 'confirm'))).json()).toEqual({ status: 'confirmed' });
  };
  const publish = async (slug = 'payqi') => {
    published += 1;
    const id = await h.draft(slug, { ...advisoryBody, title: `Advisory number ${published}` });
    const response = await h.call('POST', `/api/v1/advisories/${id}/publish`);
    expect(response.statusCode, response.body).toBe(200);
    await deliver();
    return id;
  };

  it('confirms by the mailed link, then mails each published advisory with one-click unsubscribe headers', async () => {
    await subscribeConfirmed('ada@example.org', 'payqi');
    await subscribeConfirmed('inst@example.org');
    await subscribeConfirmed('leher-only@example.org', 'leher');
    expect((await subscribe({ email: 'pending@example.org', project: 'payqi' })).statusCode).toBe(202);
    const id = await publish();

    for (const to of ['ada@example.org', 'inst@example.org']) {
      const [mail] = mailsTo(to).filter((m) => m.text.includes(id));
      expect(mail!.text).toContain('Advisory number 1');
      expect(header(mail!, 'List-Unsubscribe')).toBe(`<https://embargo.test/api/v1/subscriptions/unsubscribe?token=${tokenIn(mail!, 'unsubscribe')}>`);
      expect(header(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
    expect(mailsTo('leher-only@example.org').filter((m) => m.text.includes(id))).toEqual([]);
    // Unconfirmed: the confirmation request is all it ever got.
    expect(mailsTo('pending@example.org').map((m) => header(m, 'Subject'))).toEqual(['Confirm your subscription to security advisories']);
    // The address is personal data: sealed at rest.
    const rows = await h.database.db.selectFrom('advisory_subscription').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('example.org');
  });

  it('answers a repeated subscription identically and mails nothing more', async () => {
    const before = smtp.received.length;
    const first = await subscribe({ email: 'ADA@example.org', project: 'payqi' });
    const unknownProject = await subscribe({ email: 'ada@example.org', project: 'nosuchproject' });
    const fresh = await subscribe({ email: 'new@example.org', project: 'payqi' });
    for (const response of [first, unknownProject]) expect([response.statusCode, response.body]).toEqual([fresh.statusCode, fresh.body]);
    await deliver();
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['new@example.org']]);
    const id = await publish();
    expect(mailsTo('ada@example.org').filter((m) => m.text.includes(id))).toHaveLength(1);
  });

  it('unsubscribes from the link alone (the page\'s button, or the RFC 8058 one-click POST), and no advisory mail follows', async () => {
    await subscribeConfirmed('stays@example.org', 'payqi');
    const [lastToAda] = mailsTo('ada@example.org').slice(-1);
    const [lastToInst] = mailsTo('inst@example.org').slice(-1);
    expect((await press('unsubscribe', tokenIn(lastToAda!, 'unsubscribe'))).json()).toEqual({ status: 'unsubscribed' });
    const clicked = await oneClick(lastToInst!);
    expect([clicked.statusCode, clicked.json()]).toEqual([200, { status: 'unsubscribed' }]);
    // Following it again still succeeds: the subscription is gone either way.
    expect((await press('unsubscribe', tokenIn(lastToAda!, 'unsubscribe'))).statusCode).toBe(200);
    const id = await publish();
    expect([...mailsTo('ada@example.org'), ...mailsTo('inst@example.org')].filter((m) => m.text.includes(id))).toEqual([]);
    expect(mailsTo('stays@example.org').filter((m) => m.text.includes(id))).toHaveLength(1);
  });

  it('changes nothing on GET (what mail scanners do), sending the browser to the page that asks, the token in the fragment', async () => {
    expect((await subscribe({ email: 'scanned@example.org', project: 'payqi' })).statusCode).toBe(202);
    await deliver();
    const confirmation = mailsTo('scanned@example.org').at(-1)!;
    const token = tokenIn(confirmation, 'confirm');
    const scanned = await h.app.inject({ method: 'GET', url: `/api/v1/subscriptions/confirm?token=${token}` });
    expect([scanned.statusCode, scanned.headers.location]).toEqual([303, `/subscriptions/confirm#token=${token}`]);
    const page = await h.app.inject({ method: 'GET', url: '/subscriptions/confirm' });
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, expect.stringContaining('text/html')]);
    const id = await publish();
    expect(mailsTo('scanned@example.org').filter((m) => m.text.includes(id))).toEqual([]);
    expect((await press('confirm', token)).json()).toEqual({ status: 'confirmed' });
    const after = await publish();
    const [mail] = mailsTo('scanned@example.org').filter((m) => m.text.includes(after));
    const unsubscribe = tokenIn(mail!, 'unsubscribe');
    const opened = await h.app.inject({ method: 'GET', url: `/api/v1/subscriptions/unsubscribe?token=${unsubscribe}` });
    expect([opened.statusCode, opened.headers.location]).toEqual([303, `/subscriptions/unsubscribe#token=${unsubscribe}`]);
    const later = await publish();
    expect(mailsTo('scanned@example.org').filter((m) => m.text.includes(later))).toHaveLength(1);
  });

  it('mails an update notice with the change note for each new revision of a published advisory, and nothing for draft edits', async () => {
    await subscribeConfirmed('watcher@example.org', 'payqi');
    await subscribeConfirmed('everything@example.org');
    const id = await h.draft('payqi', { ...advisoryBody, title: 'Path traversal in export' });
    expect((await h.call('PATCH', `/api/v1/advisories/${id}`, { summary: 'A draft edit' })).statusCode).toBe(200);
    expect((await h.call('POST', `/api/v1/advisories/${id}/publish`)).statusCode).toBe(200);
    await deliver();
    const revised = await h.call('PATCH', `/api/v1/advisories/${id}`, { summary: 'Also reachable without authentication', revisionSummary: 'Wider impact: no sign-in needed' });
    expect(revised.statusCode, revised.body).toBe(200);
    await deliver();

    for (const to of ['watcher@example.org', 'everything@example.org']) {
      const mails = mailsTo(to).filter((m) => m.text.includes(id));
      expect(mails.map((m) => header(m, 'Subject'))).toEqual([`Security advisory ${id}: Path traversal in export`, `Security advisory ${id} updated: Path traversal in export`]);
      const update = mails[1]!;
      expect(update.text).toContain('revision 2');
      expect(update.text).toContain('What changed: Wider impact: no sign-in needed');
      expect(header(update, 'List-Unsubscribe')).toBe(`<https://embargo.test/api/v1/subscriptions/unsubscribe?token=${tokenIn(update, 'unsubscribe')}>`);
    }
    expect(mailsTo('leher-only@example.org').filter((m) => m.text.includes(id))).toEqual([]);
  });

  it('refuses a forged, altered or wrong-purpose token with a coded error and its field path', async () => {
    const [confirmation] = mailsTo('new@example.org');
    const token = tokenIn(confirmation!, 'confirm');
    const [id, signature] = token.split('.') as [string, string];
    const forged = [`${id}.${Buffer.alloc(32).toString('base64url')}`, `${id}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`, 'nonsense', `${token}.x`];
    for (const bad of forged) {
      const response = await press('confirm', encodeURIComponent(bad));
      expect(response.statusCode, bad).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'link_invalid', details: [{ path: 'query.token' }] } });
    }
    const wrongPurpose = await press('unsubscribe', token);
    expect(wrongPurpose.json()).toMatchObject({ error: { code: 'link_invalid' } });
  });
});
