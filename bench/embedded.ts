/**
 * Embedded mode: time from process start to ready and resident memory of
 * `embargo serve` on PGlite, against a bare PGlite process doing `select 1`.
 * Cold is a fresh data directory (initdb, migrations, generated secrets);
 * warm is a restart on it. Each is run ROUNDS times, alternating, medians shown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median, residentMiB, type Row } from './support.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));

interface Start {
  seconds: number;
  rssMiB: number;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** `embargo serve` until /readyz answers 200. */
async function startEmbargo(dataDir: string): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/embargo.js', 'serve'], { cwd: root, stdio: 'ignore', env: { ...process.env, EMBARGO_DATA_DIR: dataDir, EMBARGO_PORT: String(port), EMBARGO_LOG_LEVEL: 'warn' } });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`embargo serve exited with ${child.exitCode}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) return { seconds: (performance.now() - started) / 1000, rssMiB: await residentMiB(child.pid!) };
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await stop(child);
  }
}

/** A bare PGlite process until it has answered `select 1`. */
async function startBare(dataDir: string): Promise<Start> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bench/bare-pglite.mjs'), dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await once(child.stdout!, 'data');
    return { seconds: (performance.now() - started) / 1000, rssMiB: await residentMiB(child.pid!) };
  } finally {
    await stop(child);
  }
}

export async function embeddedBenchmark(): Promise<Row[]> {
  const results = { embargo: { cold: [] as Start[], warm: [] as Start[] }, bare: { cold: [] as Start[], warm: [] as Start[] } };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, start] of [['embargo', startEmbargo], ['bare', startBare]] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'embargo-bench-'));
      try {
        results[name].cold.push(await start(join(dir, name === 'embargo' ? '' : 'pglite')));
        results[name].warm.push(await start(join(dir, name === 'embargo' ? '' : 'pglite')));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  const rows: Row[] = [];
  for (const phase of ['cold', 'warm'] as const) {
    const [embargo, bare] = [results.embargo[phase], results.bare[phase]];
    const seconds = median(embargo.map((s) => s.seconds));
    const bareSeconds = median(bare.map((s) => s.seconds));
    rows.push({ benchmark: 'embedded', case: `${phase} start to ready, s`, result: seconds.toFixed(2), baseline: `bare PGlite ${bareSeconds.toFixed(2)}`, ratio: seconds / bareSeconds });
    const rss = median(embargo.map((s) => s.rssMiB));
    const bareRss = median(bare.map((s) => s.rssMiB));
    rows.push({ benchmark: 'embedded', case: `${phase} RSS when ready, MiB`, result: rss.toFixed(0), baseline: `bare PGlite ${bareRss.toFixed(0)}`, ratio: rss / bareRss });
  }
  return rows;
}
