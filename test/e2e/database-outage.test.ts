import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { createDatabase, startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.ts';
import { validReport } from '../support/reports.ts';
import { freePort, startServe, type ServeProcess } from '../support/serve-process.ts';

const CLIENTS = 4;
const SLUG = 'payqi';
/** A request that takes longer than this counts as a hang: the server must answer quickly whether or not the database is up. */
const HANG_MS = 15_000;

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { id?: string; error?: { code: string } };
}

/**
 * PostgreSQL restarted under load, on a cluster of its own (the run's shared
 * one must not go away under other test files). While it is down the server
 * answers at once with a coded 503 and Retry-After; it comes back by itself
 * when the database does; and every report it acknowledged is there.
 */
describe('PostgreSQL restarted during load', () => {
  let cluster: PostgresCluster | undefined;
  let server: ServeProcess | undefined;
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await cluster?.stop();
  });

  it('answers 503 database_unavailable while it is down, recovers by itself, and loses nothing acknowledged', { timeout: 300_000 }, async () => {
    cluster = await startPostgresCluster();
    const url = await createDatabase(cluster.url, 'embargo_outage');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = await startServe(
      {
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: '5',
        EMBARGO_DATA_DIR: await mkdtemp(join(tmpdir(), 'embargo-outage-')),
        EMBARGO_PORT: String(port),
        EMBARGO_LOG_LEVEL: 'error',
        EMBARGO_RATE_LIMIT_PER_MINUTE: '100000',
        EMBARGO_INTAKE_RATE_LIMIT_PER_MINUTE: '10000',
        EMBARGO_INTAKE_PROJECT_RATE_LIMIT_PER_MINUTE: '100000',
      },
      base,
      120_000,
    );
    // The link is printed just after the server starts answering.
    let token: string | undefined;
    for (let tries = 0; token === undefined && tries < 100; tries++) {
      token = /setup#token=(emb_setup_[A-Za-z0-9_-]+)/.exec(server.output())?.[1];
      if (token === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const setup = await fetch(`${base}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email: 'owner@example.org', password: 'correct horse battery staple' }) });
    expect(setup.status, await setup.clone().text()).toBe(201);
    const owner = { authorization: `Bearer ${((await setup.json()) as { apiToken: string }).apiToken}` };
    const created = await fetch(`${base}/api/v1/projects`, { method: 'POST', headers: { ...owner, 'content-type': 'application/json' }, body: JSON.stringify({ policy: (await examplePolicyExpiringIn(SLUG)).text }) });
    expect(created.status, await created.clone().text()).toBe(201);

    const acknowledged = new Map<string, string>(); // marker → report id
    const pending: string[] = [];
    const unexpected: string[] = [];
    const unavailable: Answer[] = [];
    let submitted = 0;

    async function submit(marker: string): Promise<Answer | undefined> {
      const started = Date.now();
      try {
        const response = await fetch(`${base}/api/v1/projects/${SLUG}/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `key-${marker}` },
          body: JSON.stringify({ ...validReport, description: `${validReport.description} ${marker}` }),
          signal: AbortSignal.timeout(HANG_MS),
        });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
      } catch (error) {
        unexpected.push(`no answer after ${Date.now() - started} ms: ${String(error)}`);
        return undefined;
      }
    }

    async function client(running: { on: boolean }): Promise<void> {
      while (running.on) {
        const marker = pending.shift() ?? `outage-${submitted++}-${Math.random().toString(36).slice(2)}`;
        const answer = await submit(marker);
        if (answer && (answer.status === 201 || answer.status === 200) && answer.body.id) {
          acknowledged.set(marker, answer.body.id);
          continue;
        }
        pending.push(marker);
        if (answer?.status === 503) unavailable.push(answer);
        else if (answer) unexpected.push(`${answer.status} ${JSON.stringify(answer.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    const running = { on: true };
    const clients = Array.from({ length: CLIENTS }, () => client(running));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const beforeOutage = acknowledged.size;

    await cluster.halt();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // Liveness is the process alone; readiness reports the database.
    expect((await fetch(`${base}/healthz`).catch(() => undefined))?.status, server.output().slice(-6000)).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, boolean> }).checks.database).toBe(false);

    await cluster.resume();
    // Back by itself: the pool replaces its dropped connections, the job runner resumes polling.
    const serves = async () => (await fetch(`${base}/api/v1/projects`)).status === 200;
    expect(await eventually(serves, 15_000)).toBe(true);
    const afterRecovery = acknowledged.size;
    expect(await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 30_000)).toBe(true);
    running.on = false;
    await Promise.all(clients);

    expect(unexpected).toEqual([]);
    expect(beforeOutage).toBeGreaterThan(0);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const answer of unavailable) {
      expect(answer.body.error?.code).toBe('database_unavailable');
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    expect(acknowledged.size).toBeGreaterThan(afterRecovery); // served again after the restart, without being restarted itself

    // Every submission the outage turned away succeeds on retry with its key; every acknowledged one is there in full.
    for (const marker of pending.splice(0)) {
      const answer = await submit(marker);
      expect(answer?.status, JSON.stringify(answer?.body)).toBeOneOf([200, 201]);
      acknowledged.set(marker, answer!.body.id!);
    }
    for (const [marker, id] of acknowledged) {
      const read = await fetch(`${base}/api/v1/reports/${id}`, { headers: owner });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { content: { description: string } }).content.description).toContain(marker);
    }

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = undefined;

    // Nothing half-written either: exactly the acknowledged reports exist.
    const database = await openDatabase({ kind: 'postgres', url, ssl: 'disable', poolSize: 1 });
    try {
      const reports = await database.db.selectFrom('report').select('id').execute();
      expect(reports.map((r) => r.id).sort()).toEqual([...acknowledged.values()].sort());
    } finally {
      await database.close();
    }
  });
});

async function eventually(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
