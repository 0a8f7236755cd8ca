#!/usr/bin/env node
// `npm run fuzz -- [count] [--postgres] [--seed=N]`: a long fuzzing run of every
// route (test/fuzz/api.test.ts with a larger count; CI sends 20 000). It lists
// every kind of problem it meets instead of stopping at the first; rerun with
// the printed seed (and without a count change) to replay a run exactly.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const unknown = args.filter((a) => !/^\d+$/.test(a) && a !== '--postgres' && !/^--seed=-?\d+$/.test(a));
if (unknown.length > 0) {
  console.error(`usage: npm run fuzz -- [count] [--postgres] [--seed=N]\nunknown: ${unknown.join(' ')}`);
  process.exit(2);
}
const env = {
  ...process.env,
  EMBARGO_FUZZ_REQUESTS: args.find((a) => /^\d+$/.test(a)) ?? '100000',
  EMBARGO_FUZZ_COLLECT: '1',
  EMBARGO_FUZZ_DATABASE: args.includes('--postgres') ? 'postgres' : 'pglite',
};
const seed = args.find((a) => a.startsWith('--seed='));
if (seed) env.EMBARGO_FUZZ_SEED = seed.slice('--seed='.length);

const vitest = fileURLToPath(new URL('../node_modules/.bin/vitest', import.meta.url));
// --reporter=default: a fuzzing run must not overwrite the JSON report of the last test run.
const { status } = spawnSync(vitest, ['run', 'test/fuzz/api.test.ts', '--reporter=default'], { stdio: 'inherit', env });
process.exit(status ?? 1);
