import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { embargoBin, repoRoot, type CliResult } from '../support/cli.ts';

/**
 * Root writes through any file mode, so as root (CI) the CLI runs as the
 * unprivileged `postgres` user, which the PostgreSQL test cluster needs anyway.
 */
const asRoot = process.getuid?.() === 0;

function runAsUser(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', process.execPath, embargoBin, ...args]] : [process.execPath, [embargoBin, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function chmodTree(path: string, mode: 'read-only' | 'writable'): Promise<void> {
  await promisify(execFile)('chmod', ['-R', mode === 'read-only' ? 'a-w' : 'u+w', path]);
}

describe('an embedded data directory the server cannot write', () => {
  it('stops the start with a clear, coded error naming the directory', { timeout: 300_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'embargo-readonly-'));
    if (asRoot) {
      const id = async (flag: string) => Number((await promisify(execFile)('id', [flag, 'postgres'])).stdout.trim());
      await chown(dataDir, await id('-u'), await id('-g'));
    }
    await chmod(dataDir, 0o700);
    const env = { EMBARGO_DATA_DIR: dataDir };
    try {
      const created = await runAsUser(['migrate'], env);
      expect(created.code, created.stderr).toBe(0);

      await chmodTree(join(dataDir, 'pglite'), 'read-only');
      const refused = await runAsUser(['serve'], { ...env, EMBARGO_PORT: '0' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^error \[database_unavailable\]: the embedded database in .*embargo-readonly-.*pglite could not be opened .*writable/m);

      // With the directory writable again, the same data opens.
      await chmodTree(join(dataDir, 'pglite'), 'writable');
      const reopened = await runAsUser(['migrate'], env);
      expect(reopened.code, reopened.stderr).toBe(0);
      expect(reopened.stdout).toBe('database is up to date\n');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
