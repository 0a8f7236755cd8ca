import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readConfig, type Config } from '../../src/config/index.ts';
import { openBackup, sealBackup } from '../../src/crypto/backup-envelope.ts';
import { build } from '../../src/http/app.ts';
import { packPayload, unpackPayload } from '../../src/services/backup/backup-payload.ts';
import { createServiceContext } from '../../src/services/context.ts';
import { readAttachment } from '../../src/services/reports/attachments.service.ts';
import { issueSetupToken } from '../../src/services/setup.service.ts';
import { databaseTargetFrom, openDatabase, type Db, type OpenDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { OWNER_PASSWORD } from '../support/app.ts';
import { runCli } from '../support/cli.ts';
import { multipartBody, PNG_1X1 } from '../support/multipart.ts';
import { examplePolicyExpiringIn } from '../support/policies.ts';
import { createDatabase } from '../support/postgres-cluster.ts';
import { validReport } from '../support/reports.ts';

const backupKey = () => randomBytes(32).toString('base64');

interface Instance {
  env: NodeJS.ProcessEnv;
}

async function withInstance<T>(env: NodeJS.ProcessEnv, body: (db: Db, config: Config, database: OpenDatabase) => Promise<T>): Promise<T> {
  const config = await readConfig(env);
  const database = await openDatabase(databaseTargetFrom(config));
  try {
    return await body(database.db, config, database);
  } finally {
    await database.close();
  }
}

/** Every row of every table of the public schema, as sorted JSON text per table. */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const result: Record<string, string[]> = {};
  for (const { name } of tables.rows) {
    const rows = await sql<{ r: string }>`select row_to_json(t)::text as r from ${sql.table(name)} t`.execute(db);
    result[name] = rows.rows.map((row) => row.r).sort();
  }
  return result;
}

/** A real instance: owner, a project from an example policy, a report with an attachment, thread messages both ways, an advisory draft. */
async function populate(env: NodeJS.ProcessEnv): Promise<{ reportId: string; attachmentId: string }> {
  return withInstance(env, async (db, config, database) => {
    await migrateToLatest(db);
    const app = await build({ config: { ...config, logLevel: 'silent', http: { ...config.http, rateLimitPerMinute: 10_000, intakeRateLimitPerMinute: 1000 } }, database, logger: false });
    try {
      const setup = await issueSetupToken(createServiceContext(config, db));
      const owner = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: setup!.token, email: 'owner@example.org', password: OWNER_PASSWORD } });
      const team = { authorization: `Bearer ${owner.json().apiToken}` };
      expect((await app.inject({ method: 'POST', url: '/api/v1/projects', headers: team, payload: { policy: (await examplePolicyExpiringIn('payqi')).text } })).statusCode).toBe(201);
      const form = await multipartBody({ report: JSON.stringify(validReport) }, [{ filename: 'poc.png', data: PNG_1X1, type: 'image/png' }]);
      const submitted = await app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', headers: form.headers, payload: form.payload });
      expect(submitted.statusCode, submitted.body).toBe(201);
      const { id: reportId, followUpToken } = submitted.json();
      const reporter = { authorization: `Bearer ${followUpToken}` };
      expect((await app.inject({ method: 'POST', url: '/api/v1/portal/messages', headers: reporter, payload: { body: 'Any news?' } })).statusCode).toBe(201);
      expect((await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/messages`, headers: team, payload: { body: 'Looking into it.' } })).statusCode).toBe(201);
      expect((await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/actions`, headers: team, payload: { type: 'acknowledge' } })).statusCode).toBe(200);
      const advisory = await app.inject({ method: 'POST', url: '/api/v1/projects/payqi/advisories', headers: team, payload: { title: 'Path traversal in file download', summary: 'Reads files outside its directory' } });
      expect(advisory.statusCode, advisory.body).toBe(201);
      const report = await app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: team });
      return { reportId, attachmentId: report.json().attachments[0].id as string };
    } finally {
      await app.close();
    }
  });
}

describe.each([
  ['the embedded database', async (): Promise<Instance> => ({ env: { EMBARGO_DATA_DIR: await mkdtemp(join(tmpdir(), 'embargo-backup-')) } })],
  [
    'PostgreSQL',
    async (): Promise<Instance> => ({
      env: { EMBARGO_DATA_DIR: await mkdtemp(join(tmpdir(), 'embargo-backup-')), DATABASE_URL: await createDatabase(inject('postgresUrl'), `embargo_backup_${randomBytes(5).toString('hex')}`) },
    }),
  ],
])('embargo backup and restore on %s', (_name, setUp) => {
  // Each CLI run starts Node and the database: the steps share one source and one target, in order.
  const key = backupKey();
  let source: NodeJS.ProcessEnv;
  let target: NodeJS.ProcessEnv;
  let file: string;
  let populated: { reportId: string; attachmentId: string };

  beforeAll(async () => {
    source = { ...(await setUp()).env, EMBARGO_BACKUP_KEY: key };
    target = { ...(await setUp()).env, EMBARGO_BACKUP_KEY: key };
    file = join(await mkdtemp(join(tmpdir(), 'embargo-backup-file-')), 'instance.backup');
    populated = await populate(source);
  }, 120_000);

  it('backs up to a new 0600 file that holds nothing in the clear', { timeout: 240_000 }, async () => {
    const made = await runCli(['backup', file, '--json'], source);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ file, migrations: expect.any(Number), carriesSecretsFile: true });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 14).toString()).toBe('EMBARGO-BACKUP');
    const secrets = JSON.parse(await readFile(join(source.EMBARGO_DATA_DIR!, 'secrets.json'), 'utf8'));
    expect(bytes.includes(Buffer.from(secrets.serverSecret))).toBe(false);

    const again = await runCli(['backup', file], source);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists; choose a new file name/);
  });

  it('refuses a tampered backup and a wrong key, leaving the target empty', { timeout: 240_000 }, async () => {
    const tampered = Buffer.from(await readFile(file));
    tampered[tampered.length - 100]! ^= 0x01;
    const tamperedFile = `${file}.tampered`;
    await writeFile(tamperedFile, tampered);
    const refused = await runCli(['restore', tamperedFile], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error \[validation_failed\]: the backup is damaged or was tampered with/);

    const wrongKey = await runCli(['restore', file], { ...target, EMBARGO_BACKUP_KEY: backupKey() });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/this backup was made with backup key [0-9a-f]{16}; the configured backup key is [0-9a-f]{16}/);

    const noKey = await runCli(['restore', file], { ...target, EMBARGO_BACKUP_KEY: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/no backup key is configured/);

    expect(await readdir(target.EMBARGO_DATA_DIR!)).toEqual([]);
    if (target.DATABASE_URL) {
      // Opened directly: reading the configuration would generate secrets into the target's data directory.
      const database = await openDatabase({ kind: 'postgres', url: target.DATABASE_URL, ssl: 'disable', poolSize: 1 });
      const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(database.db);
      await database.close();
      expect(tables.rows[0]!.n).toBe(0);
    }
  });

  it('refuses a backup made by a newer schema', { timeout: 240_000 }, async () => {
    const keyBytes = Buffer.from(key, 'base64');
    const { header, payload } = openBackup(keyBytes, await readFile(file));
    const { manifest, secretsFile, dump } = unpackPayload(payload);
    const newer = `${file}.newer`;
    await writeFile(newer, sealBackup(keyBytes, header, packPayload({ ...manifest, migrations: [...manifest.migrations, '9999-from-the-future'] }, secretsFile, dump)));
    const refused = await runCli(['restore', newer], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error \[conflict\]: this backup was made by a newer version of Embargo .*9999-from-the-future/);
  });

  it('restores into a fresh instance identical in every table, attachments and audit chain included', { timeout: 240_000 }, async () => {
    const restored = await runCli(['restore', file], target);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^restored the backup made at .* with its secrets file/);

    const before = await withInstance(source, snapshot);
    const after = await withInstance(target, snapshot);
    const sourceSeqs = before.audit_log!.length;
    // The restore records itself: one entry after the copied chain.
    expect(after.audit_log).toHaveLength(sourceSeqs + 1);
    expect(after.audit_log!.some((row) => row.includes('"action":"backup.restored"'))).toBe(true);
    expect(after.audit_log!.filter((row) => !row.includes('"action":"backup.restored"'))).toEqual(before.audit_log);
    expect(before.audit_log!.some((row) => row.includes('"action":"backup.created"'))).toBe(true);
    const { audit_log: _a, ...restOfAfter } = after;
    const { audit_log: _b, ...restOfBefore } = before;
    expect(restOfAfter).toEqual(restOfBefore);
    for (const table of ['report', 'report_attachment', 'report_message', 'advisory', 'project', 'app_user']) expect(before[table]!.length, table).toBeGreaterThan(0);

    const read = (env: NodeJS.ProcessEnv) => withInstance(env, async (db, config) => (await readAttachment(createServiceContext(config, db), populated.reportId, populated.attachmentId, { reporterView: false })).data);
    expect((await read(target)).equals(PNG_1X1)).toBe(true);
    expect((await read(source)).equals(await read(target))).toBe(true);

    const verified = await runCli(['audit', 'verify'], target);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/^audit log intact/);
  });

  it('refuses to replace a database that holds data unless --force, and replaces it whole with it', { timeout: 240_000 }, async () => {
    const refused = await runCli(['restore', file], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds a database; restore into an empty one, or pass --force/);

    const forced = await runCli(['restore', file, '--force', '--json'], target);
    expect(forced.code, forced.stderr).toBe(0);
    const summary = JSON.parse(forced.stdout);
    if (target.DATABASE_URL) expect(summary.keptAside).toEqual([]);
    else expect(summary.keptAside).toEqual([expect.stringMatching(/pglite\.before-restore-/)]);
    const after = await withInstance(target, snapshot);
    expect(after.audit_log!.filter((row) => row.includes('"action":"backup.restored"'))).toHaveLength(1);
    expect((await runCli(['audit', 'verify'], target)).code).toBe(0);
  });
});
