import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type Config } from '../../src/config/index.ts';
import { createServiceContext, systemMeta } from '../../src/services/context.ts';
import { submitReport } from '../../src/services/reports/intake.service.ts';
import { openReport } from '../../src/services/reports/report-view.ts';
import { openDatabase, type Db } from '../../src/storage/database.ts';
import { findReportById } from '../../src/storage/repositories/report.repository.ts';
import { runCli } from '../support/cli.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';

const submission = {
  title: 'Open redirect after sign-in',
  description: 'E2E-ROTATION-CANARY: the next parameter is followed to any host.',
  steps_to_reproduce: '1. /login?next=https://evil.example',
  impact: 'Phishing from a trusted origin',
  affected_versions: { versions: [{ version: '1.4.0' }] },
  contact: { email: 'finder@example.net' },
};

interface Status {
  activeKeyId: string;
  keys: Array<{ id: string; active: boolean; values: number }>;
}

describe('embargo keys on the embedded database', () => {
  // Each CLI run starts Node, tsx and PGlite: the steps share one instance, in order.
  let env: NodeJS.ProcessEnv;
  let reportId: string;

  /** Opens the instance's database from the test, between CLI runs (PGlite allows one process at a time). */
  async function withContext<T>(config: Config, body: (ctx: ReturnType<typeof createServiceContext>, db: Db) => Promise<T>): Promise<T> {
    const database = await openDatabase({ kind: 'pglite', dataDir: join(env.EMBARGO_DATA_DIR!, 'pglite') });
    try {
      return await body(createServiceContext(config, database.db), database.db);
    } finally {
      await database.close();
    }
  }

  const status = async (): Promise<Status> => {
    const result = await runCli(['keys', 'status', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    env = { EMBARGO_DATA_DIR: await mkdtemp(join(tmpdir(), 'embargo-keys-')) };
    const created = await runCli(['project', 'create', '--policy', (await examplePolicyExpiringIn('leher')).file], env);
    expect(created.code, created.stderr).toBe(0);
    const config = await readConfig(env);
    reportId = await withContext(config, async (ctx) => (await submitReport(ctx, { slug: 'leher', submission, source: 'api' }, systemMeta)).receipt.id);
  }, 120_000);

  it('explains that the server must be stopped', async () => {
    const help = await runCli(['keys', '--help']);
    expect(help.stdout).toMatch(/stop the server first/i);
    for (const command of ['rotate', 'reencrypt', 'status']) expect(help.stdout).toContain(command);
  });

  it('rotates the generated key and re-encrypts everything; old data stays readable', { timeout: 120_000 }, async () => {
    const before = await status();
    expect(before.keys).toHaveLength(1);
    const values = before.keys[0]!.values;
    expect(values).toBeGreaterThan(0);

    const rotated = await runCli(['keys', 'rotate', '--json'], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    const { rotation, reencryption } = JSON.parse(rotated.stdout);
    expect(rotation.previousKeyIds).toEqual([before.activeKeyId]);
    expect(rotation.activeKeyId).not.toBe(before.activeKeyId);
    expect(reencryption.complete).toBe(true);

    const secretsFile = join(env.EMBARGO_DATA_DIR!, 'secrets.json');
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(secretsFile, 'utf8'));
    expect(file.version).toBe(2);
    expect(file.encryptionKeys.map((k: { id: string }) => k.id)).toEqual([rotation.activeKeyId, before.activeKeyId]);
    for (const key of file.encryptionKeys as Array<{ key: string }>) expect(rotated.stdout).not.toContain(key.key);

    const after = await status();
    expect(after.activeKeyId).toBe(rotation.activeKeyId);
    expect(after.keys).toEqual([
      { id: rotation.activeKeyId, active: true, inKeyring: true, values },
      { id: before.activeKeyId, active: false, inKeyring: true, values: 0 },
    ]);

    const exported = await runCli(['project', 'export', 'leher'], env);
    expect(exported.code, exported.stderr).toBe(0);
    const config = await readConfig(env);
    const newKeyOnly = { ...config, secrets: { ...config.secrets, previousEncryptionKeys: [] } };
    const report = await withContext(newKeyOnly, async (ctx, db) => openReport(ctx, (await findReportById(db, reportId))!));
    expect(report).toMatchObject({ title: submission.title, content: { description: submission.description }, contact: { email: 'finder@example.net' } });

    const dryRun = await runCli(['keys', 'reencrypt', '--dry-run'], env);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toMatch(new RegExp(`^active key ${rotation.activeKeyId}: 0 values to re-encrypt, ${values} already current`));
  });

  it('refuses to rotate keys that come from the configuration, and says what to do instead', async () => {
    const result = await runCli(['keys', 'rotate'], { ...env, EMBARGO_ENCRYPTION_KEY: 'configured-key-Zk3pQ8vR2mT6wY1nB5cX9hJ4gF7d' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error \[conflict\]/);
    expect(result.stderr).toMatch(/EMBARGO_PREVIOUS_ENCRYPTION_KEYS/);
    expect(result.stderr).toMatch(/embargo keys reencrypt/);
    expect(result.stderr).not.toContain('configured-key-');
  });
});
