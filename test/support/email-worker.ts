// A delivering process for crash tests: the server's own background loop
// (email from the outbox, webhook fan-out) on a PostgreSQL database, with a
// short mail lease so a restart soon takes over what a killed worker leased.
// Usage: node --import tsx test/support/email-worker.ts <database url> <smtp url>
import pino from 'pino';
import { startBackgroundWork } from '../../src/jobs/background.ts';
import { createSmtpMailer } from '../../src/mail/smtp-mailer.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { testContext } from './app.ts';

const [databaseUrl, smtpUrl] = process.argv.slice(2);
if (!databaseUrl || !smtpUrl) throw new Error('usage: email-worker.ts <database url> <smtp url>');
const database = await openDatabase({ kind: 'postgres', url: databaseUrl, ssl: 'disable', poolSize: 2 });
const mailer = createSmtpMailer({ smtpUrl, from: 'embargo@embargo.test', domain: 'embargo.test' });
const background = startBackgroundWork(testContext(database), pino({ level: 'silent' }), { mailer, mailIntervalMs: 50, mailLeaseMs: 1_000, webhookMaxConsecutiveFailures: 10 });
// The background timers are unref'd (a server's listening socket keeps it alive); here this does.
const keepAlive = setInterval(() => undefined, 60_000);
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  void background.stop().then(() => database.close()).then(() => process.exit(0));
});
