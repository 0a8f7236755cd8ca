import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/index.ts';
import { createServiceContext } from '../../src/services/context.ts';
import { openEventPayload } from '../../src/services/outbox.service.ts';
import { openDatabase, type DatabaseTarget } from '../../src/storage/database.ts';
import { runCli } from './cli.ts';
import { examplePolicyExpiringIn } from './policies.ts';
import { validReport } from './reports.ts';
import { freePort, startServe, type ServeProcess } from './serve-process.ts';

/** One report a client wants acknowledged; it keeps its Idempotency-Key across retries, as a careful client does. */
interface Submission {
  key: string;
  marker: string;
  files: Array<{ filename: string; data: string }>;
}

interface Acknowledged {
  submission: Submission;
  id: string;
  followUpToken: string;
}

const CLIENTS = 8;
const SLUG = 'payqi';

function newSubmission(n: number, kind: string): Submission {
  const marker = `crash-${kind}-${n}-${Math.random().toString(36).slice(2)}`;
  // Every third report comes as multipart with files large enough that writing them takes a moment.
  const files = n % 3 === 0 ? Array.from({ length: 1 + (n % 2) }, (_, i) => ({ filename: `evidence-${n}-${i}.txt`, data: `${marker} file ${i}\n`.repeat(800) })) : [];
  return { key: `key-${marker}`, marker, files };
}

function requestFor(submission: Submission): RequestInit {
  const report = { ...validReport, description: `${validReport.description} ${submission.marker}` };
  const headers: Record<string, string> = { 'idempotency-key': submission.key };
  if (submission.files.length === 0) return { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(report) };
  const form = new FormData();
  form.append('report', JSON.stringify(report));
  for (const file of submission.files) form.append('files', new Blob([file.data], { type: 'text/plain' }), file.filename);
  return { method: 'POST', headers, body: form };
}

export interface CrashTarget {
  kind: 'postgres' | 'pglite';
  rounds: number;
  /** The database for this run: environment for `embargo serve`, and the target the test opens afterwards to inspect it. */
  setUp(dataDir: string): Promise<{ env: NodeJS.ProcessEnv; target: DatabaseTarget }>;
}

/**
 * Intake under load while the server process is SIGKILLed again and again.
 * A 2xx is a promise: after a clean restart every acknowledged report must be
 * there in full, and nothing half-written may exist. Clients retry unanswered
 * submissions with the same Idempotency-Key, so a report whose receipt was
 * lost in the kill is answered (200, same receipt) instead of duplicated.
 *
 * One file per engine (test/e2e/crash-intake-*.test.ts), so the two run in parallel.
 */
export function crashIntakeSuite({ kind, rounds, setUp }: CrashTarget): void {
  describe(`report intake killed with SIGKILL on ${kind}`, () => {
    let server: ServeProcess | undefined;
    afterAll(() => {
      server?.child.kill('SIGKILL');
    });

    it(`keeps every acknowledged report whole across ${rounds} kills`, { timeout: 300_000 }, async () => {
      const dataDir = await mkdtemp(join(tmpdir(), `embargo-crash-${kind}-`));
      const { env: dbEnv, target } = await setUp(dataDir);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env: NodeJS.ProcessEnv = {
        ...dbEnv,
        EMBARGO_DATA_DIR: dataDir,
        EMBARGO_PORT: String(port),
        EMBARGO_LOG_LEVEL: 'error',
        EMBARGO_RATE_LIMIT_PER_MINUTE: '100000',
        EMBARGO_INTAKE_RATE_LIMIT_PER_MINUTE: '10000',
        EMBARGO_INTAKE_PROJECT_RATE_LIMIT_PER_MINUTE: '100000',
      };

      server = await startServe(env, base);
      const [, token] = await server.waitForOutput(/setup#token=(emb_setup_[A-Za-z0-9_-]+)/, 60_000);
      const setup = await fetch(`${base}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email: 'owner@example.org', password: 'correct horse battery staple' }) });
      expect(setup.status).toBe(201);
      const owner = { authorization: `Bearer ${((await setup.json()) as { apiToken: string }).apiToken}` };
      const created = await fetch(`${base}/api/v1/projects`, { method: 'POST', headers: { ...owner, 'content-type': 'application/json' }, body: JSON.stringify({ policy: (await examplePolicyExpiringIn(SLUG)).text }) });
      expect(created.status).toBe(201);

      const acknowledged = new Map<string, Acknowledged>();
      const unanswered: Submission[] = [];
      const unexpected: string[] = [];
      let submitted = 0;
      let killedInFlight = 0;

      async function submit(submission: Submission): Promise<boolean> {
        let response: Response;
        try {
          response = await fetch(`${base}/api/v1/projects/${SLUG}/reports`, requestFor(submission));
        } catch {
          return false; // the connection died with the server: no answer, so no promise was made
        }
        const body = await response.text().catch(() => undefined);
        if (body === undefined) return false;
        if (response.status !== 201 && response.status !== 200) {
          unexpected.push(`${response.status} ${body}`);
          return true;
        }
        const receipt = JSON.parse(body) as { id: string; followUpToken: string };
        const earlier = acknowledged.get(submission.key);
        // A replay must give the very receipt the first answer gave.
        if (earlier && (earlier.id !== receipt.id || earlier.followUpToken !== receipt.followUpToken)) unexpected.push(`replay of ${submission.key} gave another receipt`);
        acknowledged.set(submission.key, { submission, id: receipt.id, followUpToken: receipt.followUpToken });
        return true;
      }

      async function client(running: { on: boolean }): Promise<void> {
        while (running.on) {
          const submission = unanswered.shift() ?? newSubmission(submitted++, kind);
          if (!(await submit(submission))) {
            killedInFlight += 1;
            unanswered.push(submission);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }
      }

      for (let round = 0; round < rounds; round += 1) {
        if (round > 0) server = await startServe(env, base);
        const running = { on: true };
        const before = acknowledged.size;
        const clients = Array.from({ length: CLIENTS }, () => client(running));
        // A kill at a random moment of steady load (once it is answering) lands inside transactions, parses and uploads.
        while (acknowledged.size === before && unexpected.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 700));
        server.child.kill('SIGKILL');
        expect(await server.exited).toBeNull();
        running.on = false;
        await Promise.all(clients);
      }

      // A clean restart, then every unanswered submission is retried until answered.
      server = await startServe(env, base);
      while (unanswered.length > 0) expect(await submit(unanswered.shift()!)).toBe(true);
      expect(unexpected).toEqual([]);
      expect(acknowledged.size).toBeGreaterThan(rounds);
      expect(killedInFlight).toBeGreaterThan(0);

      // Each acknowledged report reads back through the team API with its sealed content and files.
      for (const { submission, id } of acknowledged.values()) {
        const read = await fetch(`${base}/api/v1/reports/${id}`, { headers: owner });
        expect(read.status).toBe(200);
        const report = (await read.json()) as { content: { description: string }; attachments: Array<{ id: string; filename: string }> };
        expect(report.content.description).toContain(submission.marker);
        expect(report.attachments.map((a) => a.filename).sort()).toEqual(submission.files.map((f) => f.filename));
        for (const attachment of report.attachments) {
          const file = await fetch(`${base}/api/v1/reports/${id}/attachments/${attachment.id}`, { headers: owner });
          expect(await file.text()).toBe(submission.files.find((f) => f.filename === attachment.filename)!.data);
        }
      }

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      server = undefined;

      // No partial report: exactly the acknowledged ones exist, each with its audit entry, outbox event and whole files.
      const database = await openDatabase(target);
      try {
        const ctx = createServiceContext(await readConfig({ ...process.env, ...env }), database.db);
        const reports = await database.db.selectFrom('report').select('id').execute();
        expect(reports.map((r) => r.id).sort()).toEqual([...acknowledged.values()].map((a) => a.id).sort());
        const audited = await database.db.selectFrom('audit_log').select('object_id').where('action', '=', 'report.received').execute();
        expect(audited.map((a) => a.object_id).sort()).toEqual(reports.map((r) => r.id).sort());
        const events = await database.db.selectFrom('outbox_event').select(['id', 'payload']).where('topic', '=', 'report.received').execute();
        expect(events.map((e) => openEventPayload(ctx, e).reportId).sort()).toEqual(reports.map((r) => r.id).sort());
        const tokens = await database.db.selectFrom('reporter_token').select('report_id').execute();
        expect(tokens.map((t) => t.report_id).sort()).toEqual(reports.map((r) => r.id).sort());
        const files = await database.db.selectFrom('report_attachment').select(['report_id', 'size_bytes', 'content_sealed']).execute();
        expect(files.length).toBe([...acknowledged.values()].reduce((sum, a) => sum + a.submission.files.length, 0));
        for (const file of files) expect(file.content_sealed.length).toBeGreaterThan(file.size_bytes);
      } finally {
        await database.close();
      }

      const verified = await runCli(['audit', 'verify'], env);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(/^audit log intact/);
    });
  });
}
