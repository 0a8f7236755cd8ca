import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { sampleAuditEntry } from '../../src/domain/audit/test-fixtures.ts';
import { appendAudit } from '../../src/services/audit.service.ts';
import { asDatabaseSuperuser } from '../../src/services/audit.test-support.ts';
import { openDatabase, type DatabaseTarget, type Db } from '../../src/storage/database.ts';
import { runCli } from '../support/cli.ts';
import { createDatabase } from '../support/postgres-cluster.ts';

interface Setup {
  env: NodeJS.ProcessEnv;
  target: DatabaseTarget;
}

/** Opens the instance's database from the test, between CLI runs (PGlite allows one process at a time). */
async function withDatabase(target: DatabaseTarget, body: (db: Db) => Promise<unknown>): Promise<void> {
  const database = await openDatabase(target);
  try {
    await body(database.db);
  } finally {
    await database.close();
  }
}

const intactLine = 'audit log intact: 3 entries checked, 1 checkpoints verified, last seq 3';

describe.each([
  [
    'the embedded database',
    async (): Promise<Setup> => {
      const dataDir = await mkdtemp(join(tmpdir(), 'embargo-audit-'));
      return { env: { EMBARGO_DATA_DIR: dataDir }, target: { kind: 'pglite', dataDir: join(dataDir, 'pglite') } };
    },
  ],
  [
    'PostgreSQL',
    async (): Promise<Setup> => {
      const url = await createDatabase(inject('postgresUrl'), `embargo_audit_${Date.now()}`);
      const dataDir = await mkdtemp(join(tmpdir(), 'embargo-audit-'));
      return { env: { EMBARGO_DATA_DIR: dataDir, DATABASE_URL: url }, target: { kind: 'postgres', url, ssl: 'disable', poolSize: 1 } };
    },
  ],
])('embargo audit on %s', (_name, setUp) => {
  // Each CLI run starts Node, tsx and the database: the steps share one instance, in order, the tampering last.
  let env: NodeJS.ProcessEnv;
  let target: DatabaseTarget;
  beforeAll(async () => {
    ({ env, target } = await setUp());
    expect((await runCli(['migrate'], env)).code).toBe(0);
    await withDatabase(target, async (db) => {
      for (const n of [1, 2, 3]) await appendAudit(db, sampleAuditEntry(n));
    });
  }, 60_000);

  it('checkpoints the head and verifies the intact log', { timeout: 60_000 }, async () => {
    const checkpoint = await runCli(['audit', 'checkpoint', '--json'], env);
    expect(checkpoint.code, checkpoint.stderr).toBe(0);
    expect(JSON.parse(checkpoint.stdout)).toMatchObject({ seq: 3, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });

    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toBe(`${intactLine}\n`);
  });

  it('exports a time range as JSON lines that carry the chain', { timeout: 60_000 }, async () => {
    const file = join(env.EMBARGO_DATA_DIR!, 'audit.jsonl');
    const exported = await runCli(['audit', 'export', '--since', '2026-01-01T00:00:02Z', '-o', file], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(`exported 2 entries to ${file}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((line) => JSON.parse(line) as { seq: number; prev_hash: string; hash: string });
    expect(records.map((r) => r.seq)).toEqual([2, 3]);
    expect(records[1]!.prev_hash).toBe(records[0]!.hash);

    const toStdout = await runCli(['audit', 'export', '--since', '2026-01-01', '--until', '2026-01-01T00:00:02Z'], env);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([1]);

    const badDate = await runCli(['audit', 'export', '--since', 'yesterday'], env);
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toMatch(/--since: must be an ISO 8601 date/);
  });

  it('exits 1 naming the first broken entry, which a planted newline cannot disguise', { timeout: 60_000 }, async () => {
    // The attacker edits entry 2 and plants a label that would otherwise print as a reassuring line of its own.
    await withDatabase(target, (db) => asDatabaseSuperuser(db, (tx) => sql`update audit_log set actor_label = ${`Mallory\n${intactLine}`} where seq = 2`.execute(tx)));
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    const brokenLines = broken.stdout.trimEnd().split('\n');
    expect(brokenLines).toHaveLength(2);
    expect(brokenLines[0]).toMatch(/^audit log broken at seq 2 \(hash_mismatch\): /);
    expect(brokenLines[1]).toContain(`"Mallory\\n${intactLine}"`);

    const json = await runCli(['audit', 'verify', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'hash_mismatch', record: { seq: 2 } });
  });
});
