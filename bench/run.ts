/**
 * Runs the benchmarks (all, or those named: `npm run bench -- intake public`)
 * and prints one table. Not part of the test suite: numbers depend on the
 * machine, so they are recorded in docs/PERFORMANCE.md, never asserted.
 */
import { performance } from 'node:perf_hooks';
import { printTable, type Row } from './support.ts';

// Loaded on demand: one benchmark asked for does not pay for importing the others.
const benchmarks: Record<string, () => Promise<Row[]>> = {
  intake: async () => (await import('./intake.ts')).intakeBenchmark(),
  public: async () => (await import('./public-reads.ts')).publicReadsBenchmark(),
  inbox: async () => (await import('./inbox.ts')).inboxBenchmark(),
  embedded: async () => (await import('./embedded.ts')).embeddedBenchmark(),
};

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (choose from ${Object.keys(benchmarks).join(', ')})`);
  process.exit(2);
}

const rows: Row[] = [];
for (const name of names.length > 0 ? names : Object.keys(benchmarks)) {
  const start = performance.now();
  console.error(`running ${name}…`);
  rows.push(...(await benchmarks[name]!()));
  console.error(`${name} took ${((performance.now() - start) / 1000).toFixed(0)} s`);
}
printTable(rows);
