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

// The browser tests drive the built UI, so the build is part of the test run.
let status = run('tsc', ['--noEmit']);
if (status === 0) status = run('tsc', ['--noEmit', '-p', 'web/tsconfig.json']);
if (status === 0) status = run('vite', ['build', '--logLevel', 'warn']);
if (status === 0) status = run('vitest', ['run', ...process.argv.slice(2)]);
console.log(summaryLine(status));
process.exit(status);
