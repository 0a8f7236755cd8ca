#!/usr/bin/env node
// `npm test`: type-check, run vitest, then print the summary line and exit with
// the combined status. A script rather than a shell one-liner so that
// `npm test -- some/file.test.ts` still passes its arguments to vitest.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REPORT, summaryLine } from './test-summary.mjs';

const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const run = (name, args) => spawnSync(bin(name), args, { stdio: 'inherit' }).status ?? 1;

// A report left by an earlier run would be counted as this run's result.
rmSync(REPORT, { force: true });

let status = run('tsc', ['--noEmit']);
if (status === 0) status = run('vitest', ['run', ...process.argv.slice(2)]);
console.log(summaryLine(status));
process.exit(status);
