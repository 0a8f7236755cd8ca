import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, setUpOwner, testContext } from '../../test/support/app.ts';
import { exited, startEmailWorker } from '../../test/support/email-worker-process.ts';
import { examplePolicyExpiringIn } from '../../test/support/policies.ts';
import { createDatabase } from '../../test/support/postgres-cluster.ts';
import { validReport } from '../../test/support/reports.ts';
import { startTestSmtpServer } from '../../test/support/smtp.ts';
import type { App } from '../http/app.ts';
import { EMAIL_TOPIC, openEmailPayload } from '../services/outbox.service.ts';
import { openDatabase, type OpenDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { listOutboxEvents } from '../storage/repositories/outbox.repository.ts';

const REPORTS = 8;
const TEAM = ['admin@example.org', 'triager1@example.org', 'triager2@example.org'];
const KILL_AT_TEAM_MAIL = 9;

const isTeamMail = (raw: string) => /^Subject: \[payqi\] New report: /m.test(raw);

/**
 * The whole path from a domain event to mail, across a real worker process
 * killed with SIGKILL: reports submitted over HTTP write `report.received`
 * events; the worker fans each out to one mail per team member and sends
 * them; it dies mid-batch, and a restarted worker finishes. What a receiver
 * keeps (one per Message-ID) is exactly one mail per report and team member.
 * PostgreSQL only: several processes cannot share a PGlite database.
 */
describe('team notifications across a worker killed mid-batch (PostgreSQL)', () => {
  let database: OpenDatabase;
  let databaseUrl: string;
  let app: App;
  let child: ChildProcess | undefined;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;

  beforeAll(async () => {
    databaseUrl = await createDatabase(inject('postgresUrl'), `embargo_${randomBytes(6).toString('hex')}`);
    database = await openDatabase({ kind: 'postgres', url: databaseUrl, ssl: 'disable', poolSize: 3 });
    await migrateToLatest(database.db);
    app = await buildTestApp(database);
    const owner = { authorization: `Bearer ${await setUpOwner(app, database)}` };
    const policy = (await examplePolicyExpiringIn('payqi')).text;
    expect((await app.inject({ method: 'POST', url: '/api/v1/projects', headers: owner, payload: { policy } })).statusCode).toBe(201);
    const ctx = testContext(database);
    for (const [i, email] of TEAM.entries()) {
      const role = i === 0 ? 'project_admin' : 'triager';
      expect((await app.inject({ method: 'POST', url: '/api/v1/invitations', headers: owner, payload: { email, role: 'member', project: { slug: 'payqi', role } } })).statusCode).toBe(201);
      const mail = (await listOutboxEvents(database.db, EMAIL_TOPIC)).map((e) => openEmailPayload(ctx, e)).find((m) => m.to === email)!;
      const token = mail.text.match(/#token=([A-Za-z0-9_-]+)/)![1];
      expect((await app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password: 'crash test passphrase' } })).statusCode).toBe(201);
    }
    // A slow server; the worker is killed the moment a team mail is taken in, before its answer reaches the worker.
    let teamMails = 0;
    smtp = await startTestSmtpServer({
      acceptDelayMs: 100,
      onAccepted: () => {
        if (isTeamMail(smtp.received.at(-1)!.raw) && ++teamMails === KILL_AT_TEAM_MAIL) child?.kill('SIGKILL');
      },
    });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await smtp?.close();
    await app?.close();
    await database?.close();
  });

  it('delivers one mail per report and team member, and to nobody else', { timeout: 180_000 }, async () => {
    const humanIds: string[] = [];
    for (let i = 0; i < REPORTS; i += 1) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
      expect(response.statusCode).toBe(201);
      humanIds.push(response.json().humanId);
    }

    child = await startEmailWorker(databaseUrl, smtp.url);
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');
    expect(smtp.received.filter((m) => isTeamMail(m.raw))).toHaveLength(KILL_AT_TEAM_MAIL);

    child = await startEmailWorker(databaseUrl, smtp.url);
    const pending = async () => (await database.db.selectFrom('outbox_event').select('id').where('delivered_at', 'is', null).where('parked_at', 'is', null).execute()).length;
    const deadline = Date.now() + 120_000;
    while ((await pending()) > 0) {
      if (Date.now() > deadline) throw new Error('the restarted worker did not deliver everything');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGTERM');
    await exited(child);

    const messageId = (raw: string) => raw.match(/^Message-ID: (<[^>]+>)/im)![1]!;
    const team = smtp.received.filter((m) => isTeamMail(m.raw));
    // At least once to the transport: the mail the worker died sending went out again, with the same Message-ID.
    expect(team.length).toBeGreaterThanOrEqual(REPORTS * TEAM.length);
    expect(team.length).toBeLessThanOrEqual(REPORTS * TEAM.length + 1);
    const kept = new Map(team.map((m) => [messageId(m.raw), `${m.to.join()} ${m.raw.match(/New report: (\S+)/)![1]}`]));
    expect([...kept.values()].sort()).toEqual(humanIds.flatMap((id) => TEAM.map((to) => `${to} ${id}`)).sort());
    // The owner is not on the project's team, and reporters get their receipt, never a team mail.
    expect(team.flatMap((m) => m.to).filter((to) => !TEAM.includes(to))).toEqual([]);
    expect(await database.db.selectFrom('outbox_event').select('id').where('parked_at', 'is not', null).execute()).toEqual([]);
  });
});
