import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config/index.ts';
import type { ParsedConfig } from '../../config/schema.ts';
import { resolveSecrets } from '../../config/secrets.ts';
import { SECRETS_FILE_NAME } from '../../config/secrets-file.ts';
import { BackupEnvelopeError, backupKeyId, openBackup, sealBackup } from '../../crypto/backup-envelope.ts';
import type { AuditEntryInput } from '../../domain/audit/entry.ts';
import { EmbargoError } from '../../errors.ts';
import { lockDataDir } from '../../storage/data-dir-lock.ts';
import { databaseTargetFrom, openDatabase, type DatabaseTarget } from '../../storage/database.ts';
import { appendAudit } from '../audit.service.ts';
import { encryptionKeyId } from '../keys.service.ts';
import { describePart, packPayload, unpackPayload, type BackupManifest } from './backup-payload.ts';
import { dumpPglite, loadPglite } from './pglite-snapshot.ts';
import { dumpPostgres, restorePostgres } from './postgres-dump.ts';
import { appliedMigrations, refuseNewerSchema } from './schema-version.ts';

/**
 * `embargo backup` and `embargo restore`. A backup is built in memory (PGlite's dumpDataDir
 * returns one Blob anyway), so the host needs free memory of a few times the database's size.
 * It carries `<dataDir>/secrets.json` when the instance's keys were generated there: without
 * them the sealed columns of the copy could never be opened. Keys given in the configuration are
 * not copied (they live in the operator's secret store and must be backed up there); the
 * manifest keeps their fingerprints, and a restore refuses keys that do not match them.
 */
const OPERATOR = { type: 'system', label: 'cli' } as const;
/** One Buffer holds at most this much on Node 20; a bigger file is not one of ours. */
const MAX_BACKUP_BYTES = 2 ** 31 - 1;

export interface BackupSummary {
  file: string;
  bytes: number;
  engine: BackupManifest['engine'];
  createdAt: string;
  migrations: number;
  backupKeyId: string;
  carriesSecretsFile: boolean;
}

export interface RestoreSummary {
  engine: BackupManifest['engine'];
  backupCreatedAt: string;
  migrations: number;
  restoredSecretsFile: boolean;
  /** What `--force` moved aside instead of deleting (embedded database and secrets file). */
  keptAside: string[];
}

function backupKey(value: string | undefined): Buffer {
  if (value === undefined) {
    throw new EmbargoError('invalid_config', 'no backup key is configured: set EMBARGO_BACKUP_KEY to 32 random bytes in base64 (`openssl rand -base64 32`) and keep a copy outside this machine; without it no backup can be read', [
      { path: 'secrets.backupKey', message: 'is required to make or restore a backup (set EMBARGO_BACKUP_KEY)' },
    ]);
  }
  return Buffer.from(value, 'base64');
}

const fingerprint = (secret: string) => createHash('sha256').update('embargo secret fingerprint v1\0').update(secret).digest('hex').slice(0, 16);

function keyFingerprints(secrets: Config['secrets']): BackupManifest['keys'] {
  return { serverSecret: fingerprint(secrets.serverSecret), encryptionKeys: [secrets.encryptionKey, ...secrets.previousEncryptionKeys].map(encryptionKeyId) };
}

const readIfExists = (path: string) => readFile(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const fileExists = (path: string) => new EmbargoError('conflict', `${path} exists; choose a new file name (a backup never overwrites a file)`);

/** Written under a temporary name and linked into place: never a half-written backup, never over an existing file. */
async function writeNewFile(path: string, bytes: Buffer): Promise<void> {
  const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
  const handle = await open(partial, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(partial, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw fileExists(path);
    throw error;
  } finally {
    await unlink(partial).catch(() => undefined);
  }
}

async function withDataDirLock<T>(target: DatabaseTarget, dataDir: string, body: () => Promise<T>): Promise<T> {
  const unlock = target.kind === 'pglite' ? await lockDataDir(dataDir) : async () => undefined;
  try {
    return await body();
  } finally {
    await unlock();
  }
}

export async function createBackup(config: Config, file: string, now: Date = new Date()): Promise<BackupSummary> {
  const key = backupKey(config.secrets.backupKey);
  const target = databaseTargetFrom(config);
  const createdAt = now.toISOString();
  const audit: AuditEntryInput = { actor: OPERATOR, action: 'backup.created', outcome: 'success', details: { engine: target.kind, backupKeyId: backupKeyId(key) }, at: now };
  // Checked before anything is dumped (and again, atomically, when the file is linked into place).
  if (await stat(file).then(() => true, () => false)) throw fileExists(file);
  const secretsFile = await readIfExists(join(config.dataDir, SECRETS_FILE_NAME));
  const { dump, migrations, tool } = await withDataDirLock(target, config.dataDir, async () => {
    if (target.kind === 'pglite') return dumpPglite(target.dataDir, audit);
    const database = await openDatabase({ ...target, poolSize: 1 });
    try {
      await appendAudit(database.db, audit);
      const applied = await appliedMigrations(database.db);
      return { ...(await dumpPostgres(target)), migrations: applied };
    } finally {
      await database.close();
    }
  });
  const manifest: BackupManifest = {
    format: 1,
    createdAt,
    engine: target.kind,
    dumpFormat: target.kind === 'pglite' ? 'pglite-datadir' : 'pg_dump-custom',
    dumpTool: tool,
    migrations,
    dump: describePart(dump),
    secretsFile: secretsFile ? describePart(secretsFile) : null,
    keys: keyFingerprints(config.secrets),
  };
  const sealed = sealBackup(key, { createdAt, engine: target.kind }, packPayload(manifest, secretsFile, dump));
  await writeNewFile(file, sealed);
  return { file, bytes: sealed.length, engine: target.kind, createdAt, migrations: migrations.length, backupKeyId: backupKeyId(key), carriesSecretsFile: secretsFile !== null };
}

async function readBackup(parsed: ParsedConfig, file: string) {
  const key = backupKey(parsed.secrets.backupKey);
  const info = await stat(file).catch(() => {
    throw new EmbargoError('not_found', `cannot read ${file}`);
  });
  if (info.size > MAX_BACKUP_BYTES) throw new EmbargoError('validation_failed', `${file} is larger than any backup this version writes`);
  try {
    return unpackPayload(openBackup(key, await readFile(file)).payload);
  } catch (error) {
    if (error instanceof BackupEnvelopeError) throw new EmbargoError('validation_failed', error.message, [{ path: 'file', message: error.reason }]);
    throw error;
  }
}

/**
 * Resolves the secrets the restored instance will run with (the configured ones, else the
 * backup's secrets file, staged in `stagingDir`) and refuses them unless they are the ones the
 * data was sealed and signed with: a mismatch would restore a database nobody can read.
 */
async function checkRestoredKeys(parsed: ParsedConfig, manifest: BackupManifest, stagingDir: string): Promise<string[]> {
  const secrets = await resolveSecrets({ ...parsed, dataDir: stagingDir });
  const keys = keyFingerprints(secrets);
  const problems: string[] = [];
  if (keys.serverSecret !== manifest.keys.serverSecret) problems.push('the server secret differs from the one the backup was made with');
  if (!keys.encryptionKeys.includes(manifest.keys.encryptionKeys[0]!)) problems.push(`the encryption key ${manifest.keys.encryptionKeys[0]} (active when the backup was made) is not in the keyring`);
  if (problems.length > 0) {
    throw new EmbargoError(
      'conflict',
      `the restored data could not be used with these keys: ${problems.join('; ')}. ${manifest.secretsFile ? 'The backup carries its secrets file: remove EMBARGO_SERVER_SECRET/EMBARGO_ENCRYPTION_KEY from the configuration, or set the ones used when it was made.' : 'This backup does not carry the keys (they came from the configuration): set the ones used when it was made.'}`,
    );
  }
  return manifest.keys.encryptionKeys.filter((id) => !keys.encryptionKeys.includes(id));
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  return (await readdir(path).catch(() => [] as string[])).length > 0;
}

async function postgresHasTables(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<boolean> {
  const database = await openDatabase({ ...target, poolSize: 1 });
  try {
    const { rows } = await database.executeSql("select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')");
    return (rows[0] as { n: number }).n > 0;
  } finally {
    await database.close();
  }
}

/**
 * Restores a backup into the configured database and data directory. Integrity first (GCM tag,
 * part hashes), then the schema (a newer one is refused), the keys, and an empty target unless
 * `force`. The database is rebuilt beside the live one (PGlite: a new directory renamed into
 * place; PostgreSQL: pg_restore in one transaction), so a failure leaves the target as it was.
 */
export async function restoreBackup(parsed: ParsedConfig, file: string, options: { force: boolean; now?: Date }): Promise<RestoreSummary & { keysMissingFromKeyring: string[] }> {
  const { manifest, secretsFile, dump } = await readBackup(parsed, file);
  refuseNewerSchema(manifest.migrations);
  const target = databaseTargetFrom(parsed);
  if (manifest.engine !== target.kind) {
    throw new EmbargoError('conflict', `this backup is of ${manifest.engine === 'pglite' ? 'the embedded database' : 'a PostgreSQL database'} and restores only into the same kind (${manifest.engine === 'pglite' ? 'unset DATABASE_URL' : 'set DATABASE_URL'})`);
  }
  const now = options.now ?? new Date();
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  await mkdir(parsed.dataDir, { recursive: true, mode: 0o700 });
  return withDataDirLock(target, parsed.dataDir, async () => {
    const stagingDir = join(parsed.dataDir, `restore-${randomBytes(6).toString('hex')}`);
    await mkdir(stagingDir, { mode: 0o700 });
    try {
      if (secretsFile) await writeFile(join(stagingDir, SECRETS_FILE_NAME), secretsFile, { mode: 0o600 });
      const keysMissingFromKeyring = await checkRestoredKeys(parsed, manifest, stagingDir);

      const secretsPath = join(parsed.dataDir, SECRETS_FILE_NAME);
      const currentSecrets = await readIfExists(secretsPath);
      const replacesSecrets = secretsFile !== null && currentSecrets !== null && !currentSecrets.equals(secretsFile);
      const replacesDatabase = target.kind === 'pglite' ? await isNonEmptyDir(target.dataDir) : await postgresHasTables(target);
      if ((replacesSecrets || replacesDatabase) && !options.force) {
        throw new EmbargoError('conflict', `the target already holds ${replacesDatabase ? 'a database' : 'other keys (secrets.json)'}; restore into an empty one, or pass --force to replace it${target.kind === 'pglite' ? ' (the current files are kept aside, not deleted)' : ''}`);
      }

      const audit: AuditEntryInput = { actor: OPERATOR, action: 'backup.restored', outcome: 'success', details: { engine: manifest.engine, backupCreatedAt: manifest.createdAt, replaced: replacesDatabase }, at: now };
      const keptAside: string[] = [];
      if (target.kind === 'pglite') {
        const restoring = join(stagingDir, 'pglite');
        await loadPglite(restoring, dump, manifest.migrations, audit);
        if (replacesDatabase) {
          keptAside.push(`${target.dataDir}.before-restore-${stamp}`);
          await rename(target.dataDir, keptAside.at(-1)!);
        } else await rm(target.dataDir, { recursive: true, force: true });
        await rename(restoring, target.dataDir);
      } else {
        await restorePostgres(target, dump, { replace: replacesDatabase });
        const database = await openDatabase({ ...target, poolSize: 1 });
        try {
          await appendAudit(database.db, audit);
        } finally {
          await database.close();
        }
      }
      if (secretsFile && !currentSecrets?.equals(secretsFile)) {
        if (currentSecrets) {
          keptAside.push(`${secretsPath}.before-restore-${stamp}`);
          await rename(secretsPath, keptAside.at(-1)!);
        }
        await rename(join(stagingDir, SECRETS_FILE_NAME), secretsPath);
      }
      await syncDirectory(parsed.dataDir);
      return { engine: manifest.engine, backupCreatedAt: manifest.createdAt, migrations: manifest.migrations.length, restoredSecretsFile: secretsFile !== null, keptAside, keysMissingFromKeyring };
    } finally {
      await rm(stagingDir, { recursive: true, force: true });
    }
  });
}
