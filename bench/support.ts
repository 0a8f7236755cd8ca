/**
 * Shared pieces of the benchmarks: the result table, medians, load generation
 * (autocannon), and the servers under test, each in a child process of its
 * own so the load generator never shares an event loop with what it measures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { examplePolicyExpiringIn } from '../test/support/policies.ts';

/** One line of the final table. `ratio` and `target` are filled when the row compares against a baseline. */
export interface Row {
  benchmark: string;
  case: string;
  result: string;
  baseline?: string;
  ratio?: number;
  target?: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function printTable(rows: readonly Row[]): void {
  const lines = [['benchmark', 'case', 'result', 'baseline', 'ratio', 'target', 'met']];
  for (const row of rows) {
    const met = row.ratio === undefined || row.target === undefined ? '' : row.ratio >= row.target ? 'yes' : 'NO';
    lines.push([row.benchmark, row.case, row.result, row.baseline ?? '', row.ratio?.toFixed(2) ?? '', row.target === undefined ? '' : `≥ ${row.target}`, met]);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  for (const line of lines) console.log(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

/** Drives `url` with a fixed number of connections; a run with any error or non-2xx answer is refused, not averaged in. */
export async function load(options: { url: string; connections: number; seconds: number; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; paths?: readonly string[] }): Promise<LoadResult> {
  const requests = options.paths?.map((path) => ({ path }));
  const result = await autocannon({ url: options.url, connections: options.connections, duration: options.seconds, method: options.method ?? 'GET', headers: options.headers, body: options.body, ...(requests ? { requests } : {}) });
  if (result.errors + result.timeouts + result.non2xx > 0) {
    throw new Error(`${options.url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx of ${result.requests.total}`);
  }
  return { requestsPerSecond: result.requests.total / (result.duration || options.seconds), p50: result.latency.p50, p99: result.latency.p99 };
}

/** Runs `a` and `b` alternately `rounds` times, so drifting background load hits both alike. */
export async function interleave<T>(rounds: number, a: () => Promise<T>, b: () => Promise<T>): Promise<{ a: T[]; b: T[] }> {
  const results = { a: [] as T[], b: [] as T[] };
  for (let round = 0; round < rounds; round++) {
    results.a.push(await a());
    results.b.push(await b());
  }
  return results;
}

export interface Child {
  process: ChildProcess;
  /** The first message the child sent (its address and what else it reports). */
  ready: Record<string, string>;
  stop(): Promise<void>;
}

/** Forks a TypeScript entry in bench/ and waits for its first IPC message. */
export async function forkChild(entry: string, env: Record<string, string>, execArgv: string[] = []): Promise<Child> {
  const child = fork(new URL(entry, import.meta.url), [], { env: { ...process.env, ...env }, execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(([code]) => Promise.reject(new Error(`${entry} exited with ${code}`)))])) as [Record<string, string>];
  return {
    process: child,
    ready: message,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Secrets that pass the production strength checks, fresh for each run. */
export function productionSecretsEnv(): Record<string, string> {
  return { EMBARGO_SERVER_SECRET: randomBytes(36).toString('base64url'), EMBARGO_ENCRYPTION_KEY: randomBytes(36).toString('base64url') };
}

/**
 * Starts the real server (bench/app-server.ts → startServer) on `databaseUrl`
 * in production mode, creates the owner through the setup link and the
 * example projects named, and returns the base URL and the owner's token.
 */
export async function startEmbargo(databaseUrl: string, options: { slugs?: readonly string[]; execArgv?: string[] } = {}): Promise<{ child: Child; url: string; ownerToken: string }> {
  const child = await forkChild('./app-server.ts', { ...productionSecretsEnv(), DATABASE_URL: databaseUrl, EMBARGO_ENV: 'production', EMBARGO_PUBLIC_URL: 'https://embargo.bench', EMBARGO_PORT: '0', EMBARGO_DATA_DIR: '/nonexistent' }, options.execArgv);
  try {
    return { child, url: child.ready.url!, ownerToken: await setUpInstance(child.ready.url!, child.ready.setupUrl!, options.slugs ?? ['payqi']) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** The owner (through the setup link) and the example projects named; answers the owner's API token. */
async function setUpInstance(url: string, setupUrl: string, slugs: readonly string[]): Promise<string> {
  const token = new URL(setupUrl).hash.replace('#token=', '');
  const setup = await fetch(`${url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, email: 'owner@bench.example', password: 'correct horse battery staple' }) });
  if (setup.status !== 201) throw new Error(`setup failed: ${await setup.text()}`);
  const ownerToken = ((await setup.json()) as { apiToken: string }).apiToken;
  for (const slug of slugs) {
    const policy = (await examplePolicyExpiringIn(slug, 180)).text;
    const project = await fetch(`${url}/api/v1/projects`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` }, body: JSON.stringify({ policy }) });
    if (project.status !== 201) throw new Error(`project creation failed: ${await project.text()}`);
  }
  return ownerToken;
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (Linux). */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks (100 a second).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process, from /proc (Linux), in MiB. */
export async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}
