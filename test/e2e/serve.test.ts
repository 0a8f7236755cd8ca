import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embargoBin, repoRoot, runCli } from '../support/cli.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { startTestSmtpServer } from '../support/smtp.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function waitFor(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before ${pattern}:\n${seen}`)));
  });
}

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}


// The README's first command, as a newcomer runs it: a real process on the embedded database.
describe('embargo serve on the embedded database', () => {
  let server: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it('prints a setup URL, serves, refuses a second process on its data, and stops cleanly on SIGTERM', async () => {
    const policy = await examplePolicyExpiringIn('payqi');
    const dataDir = await mkdtemp(join(tmpdir(), 'embargo-serve-'));
    const port = await freePort();
    const smtp = await startTestSmtpServer();
    const env = { ...process.env, EMBARGO_DATA_DIR: dataDir, EMBARGO_PORT: String(port), EMBARGO_LOG_LEVEL: 'warn', EMBARGO_SMTP_URL: smtp.url };
    server = spawn(process.execPath, [embargoBin, 'serve'], { cwd: repoRoot, env });
    const [, setupUrl] = await waitFor(server, /(http:\/\/localhost:\d+\/setup#token=emb_setup_[A-Za-z0-9_-]+)/);
    const base = `http://127.0.0.1:${port}`;

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/setup`)).headers.get('content-type')).toMatch(/text\/html/);
    expect((await readFile(join(dataDir, 'secrets.json'), 'utf8')).length).toBeGreaterThan(64);

    const busy = await runCli(['project', 'create', '--policy', policy.file], { EMBARGO_DATA_DIR: dataDir });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/in use by process/);

    const token = new URL(setupUrl!).hash.replace('#token=', '');
    const setup = await fetch(`${base}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: 'owner@example.org', password: 'correct horse battery staple' }),
    });
    expect(setup.status).toBe(201);
    const { apiToken } = (await setup.json()) as { apiToken: string };

    const created = await fetch(`${base}/api/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` },
      body: JSON.stringify({ policy: policy.text }),
    });
    expect(created.status).toBe(201);
    const securityTxt = await fetch(`${base}/.well-known/security.txt`);
    expect(securityTxt.status).toBe(200);
    expect(await securityTxt.text()).toMatch(/^Contact: /m);

    // Mail leaves through the outbox and real SMTP: a password reset reaches the owner's inbox.
    await fetch(`${base}/api/v1/auth/password-reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@example.org' }) });
    const resetMail = await smtp.waitFor((mail) => mail.to.includes('owner@example.org') && /reset-password#token=emb_reset_/.test(mail.text));
    expect(resetMail.raw).toMatch(/^Subject: Reset your Embargo password/m);
    await smtp.close();

    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    server = undefined;

    // The lock is released and the data persisted: the CLI can now read what the server wrote.
    const exported = await runCli(['project', 'export', 'payqi'], { EMBARGO_DATA_DIR: dataDir });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(policy.text);

    // A restart keeps the owner: no new setup link, and setup reports itself done.
    const restarted = spawn(process.execPath, [embargoBin, 'serve'], { cwd: repoRoot, env });
    server = restarted;
    let output = '';
    restarted.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForHttp(`${base}/healthz`);
    expect(await (await fetch(`${base}/api/v1/setup`)).json()).toEqual({ required: false });
    expect(output).not.toMatch(/setup#token=/);
  });
});
