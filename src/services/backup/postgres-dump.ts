import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { DatabaseTarget } from '../../storage/database.ts';
import { EmbargoError } from '../../errors.ts';

/**
 * PostgreSQL is backed up with `pg_dump --format=custom` and restored with `pg_restore
 * --single-transaction`, not with a dump of our own: pg_dump takes one consistent snapshot of
 * every table, sequence, trigger and extension (and pg-boss's schema) without knowing our
 * schema, and pg_restore in one transaction either creates all of it or, on any error, nothing.
 * A hand-written row dump would have to reproduce all that and would still miss whatever a
 * later migration adds. The price is that the PostgreSQL client tools must be installed where
 * `embargo backup` runs, with a major version at least the server's (pg_dump refuses older).
 */
type PostgresTarget = Extract<DatabaseTarget, { kind: 'postgres' }>;

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** PATH first (the operator's choice), then Debian's versioned directories, newest first. */
async function findTool(name: 'pg_dump' | 'pg_restore'): Promise<string> {
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = (await readdir('/usr/lib/postgresql').catch(() => [] as string[]))
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => `/usr/lib/postgresql/${v}/bin`);
  for (const dir of [...fromPath, ...debian]) {
    if (await isExecutable(join(dir, name))) return join(dir, name);
  }
  throw new EmbargoError('invalid_config', `${name} was not found in PATH or /usr/lib/postgresql/*/bin; install the PostgreSQL client tools (Debian: apt-get install postgresql-client) at least as new as the server`);
}

/**
 * libpq settings for the child: the password goes through the environment, never the command
 * line (which every local user can read in /proc), and the TLS mode matches DATABASE_SSL.
 */
function libpqConnection(target: PostgresTarget): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(target.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGSSLMODE: target.ssl, PGCONNECT_TIMEOUT: '30' };
  if (password) env.PGPASSWORD = password;
  if (target.sslCaFile) env.PGSSLROOTCERT = target.sslCaFile;
  return { dbname: url.toString(), env };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv, stdin?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new EmbargoError('internal_error', `${tool.split('/').at(-1)} failed (exit ${code}): ${err.trim().slice(0, 2000)}`));
    });
    child.stdin.on('error', () => undefined); // the exit code reports the failure
    child.stdin.end(stdin);
  });
}

export async function dumpPostgres(target: PostgresTarget): Promise<{ dump: Buffer; tool: string }> {
  const pgDump = await findTool('pg_dump');
  const { dbname, env } = libpqConnection(target);
  const tool = (await run(pgDump, ['--version'], env)).toString().trim();
  // Ownership and grants are left out: the restore runs as whatever role the new instance uses.
  const dump = await run(pgDump, ['--format=custom', '--no-owner', '--no-privileges', `--dbname=${dbname}`], env);
  return { dump, tool };
}

/** All or nothing: one transaction, stopped at the first error. `replace` drops the objects the dump recreates first, in that same transaction. */
export async function restorePostgres(target: PostgresTarget, dump: Buffer, options: { replace: boolean }): Promise<void> {
  const pgRestore = await findTool('pg_restore');
  const { dbname, env } = libpqConnection(target);
  const args = ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', ...(options.replace ? ['--clean', '--if-exists'] : []), `--dbname=${dbname}`];
  await run(pgRestore, args, env, dump);
}
