import { createServer, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { createDatabase } from '../support/postgres-cluster.ts';
import { validReport } from '../support/reports.ts';
import { freePort, startServe, type ServeProcess } from '../support/serve-process.ts';

const SHUTDOWN_TIMEOUT_SECONDS = 4;

/** A POST whose body the test sends in two parts, so the request is in flight for as long as the test likes. */
function slowPost(port: number, path: string, body: string): { req: ClientRequest; response: Promise<{ status: number; body: string }>; finish(): void } {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': bytes.length } });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(bytes.subarray(0, half));
  return { req, response, finish: () => req.end(bytes.subarray(half)) };
}

async function connectionRefused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('embargo serve stops gracefully on SIGTERM', () => {
  let server: ServeProcess | undefined;
  afterAll(() => {
    server?.child.kill('SIGKILL');
  });

  it('finishes an in-flight request, refuses new connections, exits 0, and leaves the embedded data dir reopenable', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'embargo-shutdown-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { EMBARGO_DATA_DIR: dataDir, EMBARGO_PORT: String(port), EMBARGO_LOG_LEVEL: 'warn', EMBARGO_SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS) };
    server = await startServe(env, base);
    const token = /setup#token=(emb_setup_[A-Za-z0-9_-]+)/.exec(server.output())?.[1];
    expect(token, server.output()).toBeDefined();

    // First-owner setup is a write that hashes a password: the slowest kind of request there is.
    const setup = slowPost(port, '/api/v1/setup', JSON.stringify({ token, email: 'owner@example.org', password: 'correct horse battery staple' }));
    await pause(300);
    server.child.kill('SIGTERM');
    await pause(500);
    expect(await connectionRefused(`${base}/healthz`)).toBe(true);
    setup.finish();
    expect(await setup.response).toMatchObject({ status: 201 });
    expect(await server.exited).toBe(0);
    expect(server.output()).not.toMatch(/error/i);

    // The acknowledged write is there after a restart on the same data dir.
    server = await startServe(env, base);
    expect(await (await fetch(`${base}/api/v1/setup`)).json()).toEqual({ required: false });

    // A request that never completes is cut at the bound, and the process still exits 0 (before its watchdog, which exits 1).
    const stuck = slowPost(port, '/api/v1/auth/login', JSON.stringify({ email: 'owner@example.org', password: 'correct horse battery staple', mode: 'api' }));
    const cut = stuck.response.then(() => 'answered', () => 'cut');
    await pause(300);
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_SECONDS * 1000 - 500);
    expect(await cut).toBe('cut');
    // Jobs stop before the pool ends: no pg-boss query runs on a closed pool.
    expect(server.output()).not.toMatch(/after calling end on the pool/);
    server = undefined;

    // The embedded database was closed cleanly and its lock released: the CLI opens it.
    const migrated = await runCli(['migrate'], { EMBARGO_DATA_DIR: dataDir });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toBe('database is up to date\n');
  });
  it.each(['pglite', 'postgres'] as const)('on %s, lets a webhook delivery in flight at SIGTERM finish and records it, so the restarted server does not send it again', { timeout: 180_000 }, async (kind) => {
    // A receiver that takes 2 s to answer, and tells the test when a delivery arrives.
    const received: string[] = [];
    let arrived: () => void = () => undefined;
    const firstArrival = new Promise<void>((resolve) => (arrived = resolve));
    const receiver = createServer((req, res) => {
      received.push(String(req.headers['webhook-id']));
      arrived();
      req.resume();
      setTimeout(() => res.writeHead(200).end('ok'), 2_000);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverPort = (receiver.address() as { port: number }).port;
    try {
      const dataDir = await mkdtemp(join(tmpdir(), 'embargo-shutdown-job-'));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = {
        EMBARGO_DATA_DIR: dataDir,
        EMBARGO_PORT: String(port),
        EMBARGO_LOG_LEVEL: 'warn',
        EMBARGO_SHUTDOWN_TIMEOUT_SECONDS: '8',
        ...(kind === 'postgres' ? { DATABASE_URL: await createDatabase(inject('postgresUrl'), `embargo_shutdown_${randomBytes(5).toString('hex')}`) } : {}),
      };
      server = await startServe(env, base);
      const [, token] = await server.waitForOutput(/setup#token=(emb_setup_[A-Za-z0-9_-]+)/);
      const json = { 'content-type': 'application/json' };
      const setup = await fetch(`${base}/api/v1/setup`, { method: 'POST', headers: json, body: JSON.stringify({ token, email: 'owner@example.org', password: 'correct horse battery staple' }) });
      const owner = { ...json, authorization: `Bearer ${((await setup.json()) as { apiToken: string }).apiToken}` };
      expect((await fetch(`${base}/api/v1/projects`, { method: 'POST', headers: owner, body: JSON.stringify({ policy: (await examplePolicyExpiringIn('payqi')).text }) })).status).toBe(201);
      const hook = await fetch(`${base}/api/v1/projects/payqi/webhooks`, { method: 'POST', headers: owner, body: JSON.stringify({ url: `http://127.0.0.1:${receiverPort}/hook`, eventTypes: ['report.received'] }) });
      expect(hook.status).toBe(201);
      const webhookId = ((await hook.json()) as { id: string }).id;
      expect((await fetch(`${base}/api/v1/projects/payqi/reports`, { method: 'POST', headers: json, body: JSON.stringify(validReport) })).status).toBe(201);

      // The delivery loop picks the event up within its 5 s interval; stop the server while the receiver is still answering.
      await firstArrival;
      const signalledAt = Date.now();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1_500); // it waited for the answer
      expect(server.output()).not.toMatch(/error/i);

      server = await startServe(env, base);
      const deliveries = async () => ((await (await fetch(`${base}/api/v1/projects/payqi/webhooks/${webhookId}/deliveries`, { headers: owner })).json()) as { deliveries: Array<{ id: string; status: string; attempts: number; lastStatusCode: number | null }> }).deliveries;
      expect(await deliveries()).toEqual([expect.objectContaining({ id: received[0], status: 'delivered', attempts: 1, lastStatusCode: 200 })]);
      // A delivery interval (5 s) and a margin later, the receiver still has it once.
      await pause(7_000);
      expect(received).toHaveLength(1);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      server = undefined;
    } finally {
      receiver.close();
    }
  });
});
