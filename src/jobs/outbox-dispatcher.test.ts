import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/support/app.ts';
import { databaseKinds, openTestDatabase } from '../../test/support/databases.ts';
import { startTestSmtpServer } from '../../test/support/smtp.ts';
import { createSmtpMailer, type Mailer } from '../mail/smtp-mailer.ts';
import type { ServiceContext } from '../services/context.ts';
import { EMAIL_TOPIC, enqueueEmail } from '../services/outbox.service.ts';
import type { OpenDatabase } from '../storage/database.ts';
import { listEmailAttempts } from '../storage/repositories/email-attempt.repository.ts';
import { listOutboxEvents, listParkedOutboxEvents } from '../storage/repositories/outbox.repository.ts';
import { deliverDueEmails, MAX_EMAIL_ATTEMPTS, retryDelayMs } from './outbox-dispatcher.ts';

describe.each(databaseKinds)('email delivery from the outbox on %s', (kind) => {
  let database: OpenDatabase;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let mailer: Mailer;
  let ctx: ServiceContext;
  let now = new Date('2026-11-23T10:00:00Z');

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    smtp = await startTestSmtpServer();
    mailer = createSmtpMailer({ smtpUrl: smtp.url, from: 'embargo@embargo.test', domain: 'embargo.test' });
    ctx = testContext(database, () => now);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await database?.close();
  });

  const queue = (to: string, subject: string) => database.db.transaction().execute((trx) => enqueueEmail(trx, ctx, { to, subject, text: `Hello ${to}` }));

  it('sends each queued mail once over SMTP, with the event id as Message-ID', async () => {
    await queue('a@example.org', 'First');
    await queue('b@example.org', 'Second');
    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 2, failed: 0, parked: 0 });
    expect(smtp.received.map((m) => m.to[0])).toEqual(['a@example.org', 'b@example.org']);
    const [event] = await listOutboxEvents(database.db, EMAIL_TOPIC);
    expect(smtp.received[0]!.raw).toContain(`Message-ID: <${event!.id}@embargo.test>`);
    expect(smtp.received[0]!.raw).toMatch(/^Subject: First/m);

    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 0, failed: 0, parked: 0 });
    expect(smtp.received).toHaveLength(2);
  });

  it('renews the lease of each mail as it is sent, so a slow batch never overlaps another worker', async () => {
    const before = smtp.received.length;
    for (const to of ['slow1@example.org', 'slow2@example.org', 'slow3@example.org']) await queue(to, 'Slow batch');
    const leaseMs = 60_000;
    let other: Awaited<ReturnType<typeof deliverDueEmails>> | undefined;
    // Each send takes most of a lease; after two, the batch's original lease has run out, and another worker looks for due mail.
    const slow: Mailer = {
      async send(message, messageId) {
        const sent = await mailer.send(message, messageId);
        now = new Date(now.getTime() + 0.7 * leaseMs);
        if (message.to === 'slow2@example.org') other = await deliverDueEmails(ctx, mailer, { leaseMs });
        return sent;
      },
      close: () => undefined,
    };
    expect(await deliverDueEmails(ctx, slow, { leaseMs })).toEqual({ delivered: 3, failed: 0, parked: 0 });
    expect(other).toEqual({ delivered: 0, failed: 0, parked: 0 });
    expect(smtp.received.slice(before).map((m) => m.to[0])).toEqual(['slow1@example.org', 'slow2@example.org', 'slow3@example.org']);
  });

  it('stores mail sealed, not readable in the database', async () => {
    await queue('secret@example.org', 'Reset link inside');
    const rows = await database.db.selectFrom('outbox_event').select('payload').execute();
    for (const row of rows) expect(row.payload).not.toMatch(/example\.org|Reset link/);
    await deliverDueEmails(ctx, mailer);
  });

  it('retries a refused mail with backoff and then delivers it once', async () => {
    const before = smtp.received.length;
    smtp.rejectNext(1);
    await queue('retry@example.org', 'Retry me');
    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 0, failed: 1, parked: 0 });
    const failed = (await listOutboxEvents(database.db, EMAIL_TOPIC)).find((e) => e.delivered_at === null)!;
    expect(failed).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/try again later/) });

    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 0, failed: 0, parked: 0 });
    now = new Date(now.getTime() + 2 * 60_000);
    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 1, failed: 0, parked: 0 });
    expect(smtp.received.slice(before).map((m) => m.to[0])).toEqual(['retry@example.org']);
    // Every attempt is kept, with the server's own answer.
    expect(await listEmailAttempts(database.db, failed.id)).toEqual([
      expect.objectContaining({ outcome: 'retry', error: expect.stringMatching(/try again later/), smtp_response: expect.stringMatching(/^451/) }),
      expect.objectContaining({ outcome: 'delivered', error: null, smtp_response: expect.stringMatching(/^250/) }),
    ]);
  });

  it('parks a mail the server refuses for good, and never sends it again', async () => {
    const before = smtp.received.length;
    smtp.rejectNext(1, 550);
    await queue('nobody@example.org', 'Unknown mailbox');
    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 0, failed: 1, parked: 1 });
    const [parked] = await listParkedOutboxEvents(database.db, 10);
    expect(parked).toMatchObject({ attempts: 1, delivered_at: null, last_error: expect.stringMatching(/no such mailbox/) });
    const [attempt] = await listEmailAttempts(database.db, parked!.id);
    expect(attempt).toMatchObject({ outcome: 'parked', smtp_response: expect.stringMatching(/^550/) });
    // The server quoted the address; the log keeps its answer without it.
    expect(attempt!.smtp_response).toContain('<recipient>');
    expect(JSON.stringify(attempt)).not.toContain('nobody@example.org');
    now = new Date(now.getTime() + 24 * 60 * 60_000);
    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 0, failed: 0, parked: 0 });
    expect(smtp.received.length).toBe(before);
  });

  it('parks a mail after the last of its temporary failures', async () => {
    smtp.rejectNext(MAX_EMAIL_ATTEMPTS);
    await queue('flaky@example.org', 'Never gets through');
    const results = [];
    for (let i = 0; i < MAX_EMAIL_ATTEMPTS; i += 1) {
      results.push(await deliverDueEmails(ctx, mailer, { random: () => 1 }));
      now = new Date(now.getTime() + 2 * 60 * 60_000);
    }
    expect(results.at(-2)).toEqual({ delivered: 0, failed: 1, parked: 0 });
    expect(results.at(-1)).toEqual({ delivered: 0, failed: 1, parked: 1 });
    const parked = (await listParkedOutboxEvents(database.db, 10)).find((e) => e.attempts === MAX_EMAIL_ATTEMPTS)!;
    expect((await listEmailAttempts(database.db, parked.id)).map((a) => a.outcome)).toEqual([...Array(MAX_EMAIL_ATTEMPTS - 1).fill('retry'), 'parked']);
  });

  it('never sends mail queued by a transaction that rolled back', async () => {
    const before = smtp.received.length;
    await database.db
      .transaction()
      .execute(async (trx) => {
        await enqueueEmail(trx, ctx, { to: 'ghost@example.org', subject: 'Never', text: 'x' });
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await deliverDueEmails(ctx, mailer);
    expect(smtp.received.length).toBe(before);
  });
});

describe('retry backoff', () => {
  it('doubles from one minute, stays within half to full, and caps at an hour', () => {
    expect(retryDelayMs(0, () => 1)).toBe(60_000);
    expect(retryDelayMs(0, () => 0)).toBe(30_000);
    expect(retryDelayMs(3, () => 1)).toBe(480_000);
    expect(retryDelayMs(20, () => 1)).toBe(3_600_000);
  });
});
