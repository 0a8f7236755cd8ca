import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { validReport } from '../support/reports.ts';
import { freePort, startServe, type ServeProcess } from '../support/serve-process.ts';

/** A fresh embedded database takes about 41 MiB (16 of them its first WAL segment), so this leaves room for a few reports above the floor. */
const SMALL = '96m';
const ROOMY = '256m';
const FLOOR_MB = '32';

/** Mounting a size-limited tmpfs needs root (CAP_SYS_ADMIN), which these machines and CI give. */
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = execFileSync('mktemp', ['-d']).toString().trim();
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  return mounted;
})();

/**
 * The embedded database's data directory running out of space while
 * serving, and being read-only at start: a coded 503 with Retry-After and a
 * plain message (never a hang, a 500 or a stack), recovery by itself once
 * there is room again, and after a restart every acknowledged report there
 * and the audit chain intact.
 */
describe.skipIf(!canMount)('embedded database on a full or read-only disk', () => {
  let mountPoint: string;
  let server: ServeProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let owner: { authorization: string };
  const acknowledged: Array<{ id: string; token: string; sha256: string }> = [];

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    if (mountPoint) {
      spawnSync('umount', [mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    }
  });

  const submitWithFile = async (i: number) => {
    const form = new FormData();
    form.append('report', JSON.stringify(validReport));
    // Random bytes: the attachment is encrypted anyway, so nothing compresses.
    const evidence = randomBytes(750_000).toString('base64');
    form.append('files', new Blob([evidence], { type: 'text/plain' }), `evidence-${i}.txt`);
    const response = await fetch(`${base}/api/v1/projects/payqi/reports`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) }).catch((error: unknown) => {
      // What PGlite does when a write meets the full disk: the process spins and answers nothing again.
      throw new Error(`submission ${i} got no answer within 30 s; df says:\n${execFileSync('df', ['-h', mountPoint]).toString()}`, { cause: error });
    });
    const body = (await response.json()) as { id?: string; followUpToken?: string; error?: { code: string; message: string } };
    if (response.status === 201) acknowledged.push({ id: body.id!, token: body.followUpToken!, sha256: createHash('sha256').update(evidence).digest('hex') });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
  };

  it('refuses writes with a coded 503 when the disk fills, keeps serving reads, and recovers by itself when there is room', { timeout: 240_000 }, async () => {
    mountPoint = await mkdtemp(join(tmpdir(), 'embargo-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SMALL}`, 'tmpfs', mountPoint]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { EMBARGO_DATA_DIR: mountPoint, EMBARGO_PORT: String(port), EMBARGO_LOG_LEVEL: 'error', EMBARGO_MIN_FREE_DISK_MB: FLOOR_MB, EMBARGO_RATE_LIMIT_PER_MINUTE: '100000', EMBARGO_INTAKE_RATE_LIMIT_PER_MINUTE: '10000', EMBARGO_INTAKE_PROJECT_RATE_LIMIT_PER_MINUTE: '100000' };
    server = await startServe(env, base);
    const [, token] = await server.waitForOutput(/setup#token=(emb_setup_[A-Za-z0-9_-]+)/, 60_000);
    const setup = await fetch(`${base}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email: 'owner@example.org', password: 'correct horse battery staple' }) });
    expect(setup.status).toBe(201);
    owner = { authorization: `Bearer ${((await setup.json()) as { apiToken: string }).apiToken}` };
    const created = await fetch(`${base}/api/v1/projects`, { method: 'POST', headers: { ...owner, 'content-type': 'application/json' }, body: JSON.stringify({ policy: (await examplePolicyExpiringIn('payqi')).text }) });
    expect(created.status).toBe(201);

    let refused: Awaited<ReturnType<typeof submitWithFile>> | undefined;
    for (let i = 0; i < 100 && !refused; i += 1) {
      const result = await submitWithFile(i);
      if (result.status !== 201) refused = result;
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(refused).toEqual({ status: 503, retryAfter: '5', body: { error: { code: 'database_unavailable', message: expect.stringMatching(/disk is full or read-only.*nothing from this request was kept/), details: [] } } });
    // Still full: refused the same way every time, and reads and health go on.
    for (let i = 0; i < 3; i += 1) expect((await submitWithFile(100 + i)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/projects/payqi`)).status).toBe(200);
    expect(server.output()).toMatch(/the database cannot write: its disk is full or read-only/);

    execFileSync('mount', ['-o', `remount,size=${ROOMY}`, mountPoint]);
    const before = acknowledged.length;
    for (let i = 0; i < 3; i += 1) expect((await submitWithFile(200 + i)).status).toBe(201);
    expect(acknowledged.length).toBe(before + 3);
  });

  it('refuses to start on a read-only data directory with a message naming it, and starts once it is writable, with everything acknowledged intact', { timeout: 240_000 }, async () => {
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    server = undefined;

    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    const failed = await startServe(env, base).then(
      (started) => {
        server = started;
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/exited with 1 before answering/);
    expect(failed).toContain(mountPoint);
    expect(failed).toMatch(/is not writable by this user \(EROFS\)/);
    expect(failed).not.toMatch(/\n\s+at /); // a message, not a stack

    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    server = await startServe(env, base);
    // Exactly the acknowledged reports exist: nothing of a refused submission was kept.
    const listed = (await (await fetch(`${base}/api/v1/projects/payqi/reports?limit=200`, { headers: owner })).json()) as { reports: Array<{ id: string }> };
    expect(listed.reports.map((r) => r.id).sort()).toEqual(acknowledged.map((r) => r.id).sort());
    for (const report of acknowledged) {
      const reporter = { authorization: `Bearer ${report.token}` };
      const portal = await fetch(`${base}/api/v1/portal/report`, { headers: reporter });
      expect(portal.status, `report ${report.id}`).toBe(200);
      const { attachments } = (await portal.json()) as { attachments: Array<{ id: string }> };
      expect(attachments).toHaveLength(1);
      const file = await fetch(`${base}/api/v1/portal/attachments/${attachments[0]!.id}`, { headers: reporter });
      expect(createHash('sha256').update(Buffer.from(await file.arrayBuffer())).digest('hex'), `attachment of ${report.id}`).toBe(report.sha256);
    }
    server.child.kill('SIGTERM');
    await server.exited;
    server = undefined;
    const verified = await runCli(['audit', 'verify'], env);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^audit log intact/);
  });
});
