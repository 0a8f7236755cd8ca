#!/usr/bin/env node
// Prints the closing `tests: N passed, N failed[, N skipped]` line from vitest's
// JSON report (.tmp/vitest-results.json, see vitest.config.ts), so CI and
// developers get one plain count whatever happened.
//
// Usage: node scripts/test-summary.mjs [exit-status-of-the-test-command]
// The status matters when the run failed without failing a test (tsc error,
// global setup error, unhandled error): that must not read as "0 failed".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPORT = fileURLToPath(new URL('../.tmp/vitest-results.json', import.meta.url));

export function summaryLine(status = 0, reportPath = REPORT) {
  let report;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch {
    // No report: vitest never ran (e.g. tsc failed first) or crashed before writing it.
    return 'tests: 0 passed, 1 failed';
  }
  const passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // Something failed outside any test: count it once so the line agrees with the exit code.
  if (failed === 0 && (report.success === false || status !== 0)) failed = 1;
  return `tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(summaryLine(Number(process.argv[2] ?? 0) || 0));
}
