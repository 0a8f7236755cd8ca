/**
 * Report intake (JSON, no attachment) over HTTP on PostgreSQL against the
 * machine's own limit: pgbench running a one-row INSERT on the same server
 * with the same 32 clients. Two more rows explain the gap: pgbench running
 * the SQL an intake sends (bench/intake-transaction.sql, locks included),
 * and intake spread over four projects (each has its own report counter).
 * Runs alternate and medians are compared, so background load hits all alike.
 * BENCH_PROFILE=<dir> writes a CPU profile of the server process there.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, realpath, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { validReport } from '../test/support/reports.ts';
import { createDatabase, findPostgresBinDir, startPostgresCluster } from '../test/support/postgres-cluster.ts';
import { cpuSeconds, load, median, startEmbargo, type LoadResult, type Row } from './support.ts';

const CLIENTS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const execFileAsync = promisify(execFile);

/** One pgbench run of `script` (with `-D` variables); answers transactions per second. */
async function pgbench(url: string, script: string, variables: Record<string, string> = {}): Promise<number> {
  // pgbench sits next to the real initdb (PATH may hold only symlinks to the server binaries).
  const bin = join(dirname(await realpath(join(await findPostgresBinDir(), 'initdb'))), 'pgbench');
  const defines = Object.entries(variables).flatMap(([name, value]) => ['-D', `${name}=${value}`]);
  const { stdout } = await execFileAsync(bin, ['-n', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), ...defines, '-f', script, url]);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!tps) throw new Error(`unexpected pgbench output:\n${stdout}`);
  return Number(tps[1]);
}

const PROJECTS = ['payqi', 'leher', 'peyghom', 'peft-studio'];

export async function intakeBenchmark(): Promise<Row[]> {
  const cluster = await startPostgresCluster();
  try {
    const pgbenchUrl = await createDatabase(cluster.url, 'bench_pgbench');
    const client = new pg.Client({ connectionString: pgbenchUrl });
    await client.connect();
    // A table shaped like a small report row: uuid key, a few columns, a timestamp default.
    await client.query('create table intake (id uuid primary key default gen_random_uuid(), project text not null, body text not null, created_at timestamptz not null default now())');
    await client.end();
    const insertScript = join(await mkdtemp(join(tmpdir(), 'embargo-bench-')), 'insert.sql');
    await writeFile(insertScript, `insert into intake (project, body) values ('payqi', '${JSON.stringify(validReport).replaceAll("'", "''")}');\n`);

    const profile = process.env.BENCH_PROFILE;
    const embargoUrl = await createDatabase(cluster.url, 'bench_intake');
    const embargo = await startEmbargo(embargoUrl, { slugs: PROJECTS, execArgv: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [] });
    try {
      const projectId = await firstProjectId(embargoUrl);
      const serverPid = embargo.child.process.pid!;
      const intake = (slugs: readonly string[]) => async () => {
        const cpuBefore = await cpuSeconds(serverPid);
        const result = await load({ url: embargo.url, paths: slugs.map((slug) => `/api/v1/projects/${slug}/reports`), connections: CLIENTS, seconds: SECONDS, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(validReport) });
        const cpuMsPerRequest = ((await cpuSeconds(serverPid)) - cpuBefore) * 1000 / (result.requestsPerSecond * SECONDS);
        return { ...result, cpuMsPerRequest };
      };
      await intake(PROJECTS.slice(0, 1))(); // warm-up: JIT, pool connections
      const runs = { one: [] as Array<LoadResult & { cpuMsPerRequest: number }>, four: [] as LoadResult[], transaction: [] as number[], insert: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        runs.one.push(await intake(PROJECTS.slice(0, 1))());
        runs.transaction.push(await pgbench(embargoUrl, join(import.meta.dirname, 'intake-transaction.sql'), { project: projectId }));
        runs.four.push(await intake(PROJECTS)());
        runs.insert.push(await pgbench(pgbenchUrl, insertScript));
      }
      const rps = median(runs.one.map((r) => r.requestsPerSecond));
      const insertTps = median(runs.insert);
      const transactionTps = median(runs.transaction);
      return [
        { benchmark: 'intake', case: `POST report (JSON), one project, ${CLIENTS} connections, req/s`, result: rps.toFixed(0), baseline: `pgbench 1-row INSERT ${insertTps.toFixed(0)} tps`, ratio: rps / insertTps, target: 0.5 },
        { benchmark: 'intake', case: `  same, against pgbench running intake's own SQL`, result: rps.toFixed(0), baseline: `pgbench intake transaction ${transactionTps.toFixed(0)} tps`, ratio: rps / transactionTps },
        { benchmark: 'intake', case: `  same, spread over ${PROJECTS.length} projects, req/s`, result: median(runs.four.map((r) => r.requestsPerSecond)).toFixed(0), baseline: `one project ${rps.toFixed(0)}`, ratio: median(runs.four.map((r) => r.requestsPerSecond)) / rps },
        { benchmark: 'intake', case: `  latency at ${CLIENTS} connections (one project), ms`, result: `p50 ${median(runs.one.map((r) => r.p50)).toFixed(0)} / p99 ${median(runs.one.map((r) => r.p99)).toFixed(0)}` },
        { benchmark: 'intake', case: '  server CPU per report, ms', result: median(runs.one.map((r) => r.cpuMsPerRequest)).toFixed(1) },
      ];
    } finally {
      await embargo.child.stop();
    }
  } finally {
    await cluster.stop();
  }
}

async function firstProjectId(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ id: string }>(`select id from project where slug = $1`, [PROJECTS[0]])).rows[0]!.id;
  } finally {
    await client.end();
  }
}
