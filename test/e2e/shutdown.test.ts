import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
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
});
