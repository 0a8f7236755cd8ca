// A throwaway PostgreSQL cluster for tests: initdb into a temp dir, start on a
// free loopback port, and remove everything on stop(). Storage tests run against
// it in addition to PGlite, so both engines see the same suite.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chown, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

const BINARIES = ['initdb', 'pg_ctl', 'postgres'] as const;
const WANTED_MAJOR = 15;

export interface PostgresCluster {
  /** Superuser URL of the `postgres` database, e.g. postgres://postgres@127.0.0.1:54321/postgres */
  url: string;
  /** Stops the server at once and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
  /** Shuts the server down as an operator's restart would (fast mode: sessions get 57P01), keeping its data. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  resume(): Promise<void>;
}

// Postgres refuses to run as root, so as root every server command runs as the
// `postgres` system user (created by Debian's postgresql package).
const asRoot = process.getuid?.() === 0;

async function run(bin: string, args: string[], cwd: string): Promise<string> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    // cwd: the postgres user may not be allowed into the caller's working directory.
    const { stdout } = await execFileAsync(file, argv, { cwd });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function majorVersion(binDir: string): Promise<number | undefined> {
  // e.g. "initdb (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
  const { stdout } = await execFileAsync(join(binDir, 'initdb'), ['--version']);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
  return match ? Number(match[1]) : undefined;
}

/** Directory holding initdb, pg_ctl and postgres: PATH first, then Debian's versioned dirs, major 15 preferred. */
export async function findPostgresBinDir(): Promise<string> {
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const versioned = debian
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => `/usr/lib/postgresql/${v}/bin`);

  const candidates: string[] = [];
  for (const dir of [...fromPath, ...versioned]) {
    const found = await Promise.all(BINARIES.map((b) => isExecutable(join(dir, b))));
    if (found.every(Boolean) && !candidates.includes(dir)) candidates.push(dir);
  }
  const first = candidates[0];
  if (first === undefined) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in PATH or /usr/lib/postgresql/*/bin. ' +
        'The storage tests need PostgreSQL 15: install it (Debian: apt-get install postgresql) ' +
        'or point EMBARGO_TEST_DATABASE_URL at a server.',
    );
  }
  for (const dir of candidates) {
    if ((await majorVersion(dir)) === WANTED_MAJOR) return dir;
  }
  // Another major version still runs the suite; the version test reports the mismatch.
  return first;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const binDir = await findPostgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'embargo-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const pgCtl = join(binDir, 'pg_ctl');

  try {
    if (asRoot) {
      const id = async (flag: string) => Number((await execFileAsync('id', [flag, 'postgres'])).stdout.trim());
      await chown(dir, await id('-u'), await id('-g'));
    }
    await run(
      join(binDir, 'initdb'),
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'],
      dir,
    );
    const port = await freePort();
    // Durability is pointless for a throwaway cluster; turning it off makes the suite much faster.
    // -o is passed through a shell by pg_ctl, hence the quoted socket dir.
    const options =
      `-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1 -c fsync=off ` +
      `-c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    const start = () =>
      run(pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-o', options, 'start'], dir).catch(async (error: Error) => {
        const log = await readFile(logFile, 'utf8').catch(() => '(no log)');
        throw new Error(`${error.message}\n--- ${logFile} ---\n${log}`);
      });
    await start();

    let stopped = false;
    let halted = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          if (!halted) await run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], dir);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
      async halt() {
        await run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop'], dir);
        halted = true;
      },
      async resume() {
        await start();
        halted = false;
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Creates (or re-creates) database `name` on the server at `url` and returns its URL.
 * Each test file gets its own database, so files can run in parallel on one cluster.
 */
export async function createDatabase(url: string, name: string): Promise<string> {
  // Restricting the name avoids any identifier quoting questions.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name: ${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Dropping first keeps re-runs against a long-lived EMBARGO_TEST_DATABASE_URL server clean.
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    // template0 + C collation: identical, predictable ordering whatever the server's defaults are.
    await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  } finally {
    await client.end();
  }
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return databaseUrl.toString();
}
