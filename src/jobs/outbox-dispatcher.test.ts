import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/support/app.ts';
import { databaseKinds, openTestDatabase } from '../../test/support/databases.ts';
import { startTestSmtpServer } from '../../test/support/smtp.ts';
import { createSmtpMailer, type Mailer } from '../mail/smtp-mailer.ts';
import type { ServiceContext } from '../services/context.ts';
import { EMAIL_TOPIC, enqueueEmail } from '../services/outbox.service.ts';
import type { OpenDatabase } from '../storage/database.ts';
import { listOutboxEvents } from '../storage/repositories/outbox.repository.ts';
import { deliverDueEmails, retryDelayMs } from './outbox-dispatcher.ts';

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
    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 2, failed: 0 });
    expect(smtp.received.map((m) => m.to[0])).toEqual(['a@example.org', 'b@example.org']);
    const [event] = await listOutboxEvents(database.db, EMAIL_TOPIC);
    expect(smtp.received[0]!.raw).toContain(`Message-ID: <${event!.id}@embargo.test>`);
    expect(smtp.received[0]!.raw).toMatch(/^Subject: First/m);

    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 0, failed: 0 });
    expect(smtp.received).toHaveLength(2);
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
    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 0, failed: 1 });
    const failed = (await listOutboxEvents(database.db, EMAIL_TOPIC)).find((e) => e.delivered_at === null)!;
    expect(failed).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/try again later/) });

    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 0, failed: 0 });
    now = new Date(now.getTime() + 2 * 60_000);
    expect(await deliverDueEmails(ctx, mailer)).toEqual({ delivered: 1, failed: 0 });
    expect(smtp.received.slice(before).map((m) => m.to[0])).toEqual(['retry@example.org']);
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
