import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testContext } from '../../test/support/app.ts';
import { exited, startEmailWorker } from '../../test/support/email-worker-process.ts';
import { createDatabase } from '../../test/support/postgres-cluster.ts';
import { startTestSmtpServer } from '../../test/support/smtp.ts';
import { EMAIL_TOPIC, enqueueEmail } from '../services/outbox.service.ts';
import { openDatabase, type OpenDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { listOutboxEvents } from '../storage/repositories/outbox.repository.ts';

const MAILS = 30;
const KILL_AT = 7;

/**
 * Multiple processes share one database only on PostgreSQL (PGlite lives in
 * one process), so this runs there: a real worker process, killed with
 * SIGKILL in the middle of a batch, then started again.
 */
describe('email delivery across a worker killed mid-batch (PostgreSQL)', () => {
  let database: OpenDatabase;
  let databaseUrl: string;
  let child: ChildProcess | undefined;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;

  beforeAll(async () => {
    databaseUrl = await createDatabase(inject('postgresUrl'), `embargo_${randomBytes(6).toString('hex')}`);
    database = await openDatabase({ kind: 'postgres', url: databaseUrl, ssl: 'disable', poolSize: 2 });
    await migrateToLatest(database.db);
    // A slow server; the worker is killed the moment the KILL_AT-th mail is taken in, before its answer reaches the worker.
    smtp = await startTestSmtpServer({
      acceptDelayMs: 150,
      onAccepted: () => {
        if (smtp.received.length === KILL_AT) child?.kill('SIGKILL');
      },
    });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await smtp?.close();
    await database?.close();
  });

  // Two process starts (tsx compiling the sources) on a busy machine take a while.
  it('delivers every queued mail, each with one stable Message-ID, exactly once per recipient', { timeout: 180_000 }, async () => {
    const ctx = testContext(database);
    const recipients = Array.from({ length: MAILS }, (_, i) => `person${i}@example.org`);
    await database.db.transaction().execute(async (trx) => {
      for (const to of recipients) await enqueueEmail(trx, ctx, { to, subject: `Notice for ${to}`, text: 'Something happened.' });
    });

    child = await startEmailWorker(databaseUrl, smtp.url);
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');
    const beforeRestart = await listOutboxEvents(database.db, EMAIL_TOPIC);
    const deliveredBefore = beforeRestart.filter((e) => e.delivered_at !== null).length;
    expect(smtp.received).toHaveLength(KILL_AT);
    // The last mail reached the server, but the worker died before it could record that.
    expect(deliveredBefore).toBe(KILL_AT - 1);

    child = await startEmailWorker(databaseUrl, smtp.url);
    const deadline = Date.now() + 120_000;
    while ((await listOutboxEvents(database.db, EMAIL_TOPIC)).some((e) => e.delivered_at === null)) {
      if (Date.now() > deadline) throw new Error('the restarted worker did not deliver everything');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGTERM');
    await exited(child);

    const events = await listOutboxEvents(database.db, EMAIL_TOPIC);
    const messageId = (raw: string) => raw.match(/^Message-ID: (<[^>]+>)/im)![1]!;
    const seen = smtp.received.map((m) => ({ to: m.to.join(), id: messageId(m.raw) }));
    // At least once to the transport: the one unrecorded mail went out twice, with the same Message-ID.
    expect(seen).toHaveLength(MAILS + 1);
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set(events.map((e) => `<${e.id}@embargo.test>`)));
    // What a receiver deduplicating by Message-ID keeps: one message for each recipient.
    const kept = new Map(seen.map((s) => [s.id, s.to]));
    expect([...kept.values()].sort()).toEqual([...recipients].sort());
    const attempts = await database.db.selectFrom('email_attempt').select(['event_id', 'outcome']).execute();
    expect(attempts.filter((a) => a.outcome === 'delivered')).toHaveLength(MAILS);
    expect(new Set(attempts.map((a) => a.event_id)).size).toBe(MAILS);
  });
});
