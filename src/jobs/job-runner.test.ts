import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { testContext } from '../../test/support/app.ts';
import { databaseKinds, openTestDatabase } from '../../test/support/databases.ts';
import { SLA_SCAN_QUEUE, startJobRunner } from './job-runner.ts';

describe.each(databaseKinds)('job runner stop on %s', (kind) => {
  it('returns only when no job and no pg-boss query is left, so the pool can end right after it', { timeout: 60_000 }, async () => {
    const database = await openTestDatabase(kind);
    // The database as pg-boss sees it, with one fetch of the SLA queue held back: stop begins while that fetch is in flight.
    let holdNextFetch = false;
    let fetchHeld!: () => void;
    const held = new Promise<void>((resolve) => (fetchHeld = resolve));
    let releaseFetch!: () => void;
    const released = new Promise<void>((resolve) => (releaseFetch = resolve));
    let stopped = false;
    const queriesAfterStop: string[] = [];
    const seenByBoss = {
      async executeSql(text: string, values?: unknown[]) {
        if (holdNextFetch && text.includes('SKIP LOCKED') && values?.[0] === SLA_SCAN_QUEUE) {
          holdNextFetch = false;
          fetchHeld();
          await released;
        }
        if (stopped) queriesAfterStop.push(text.trim().split('\n')[0] ?? text);
        return database.executeSql(text, values);
      },
    };
    const runner = await startJobRunner(seenByBoss, testContext(database), { schedule: false });
    holdNextFetch = true;
    await runner.requestScan();
    await held;

    const stopping = runner.stop(5_000);
    setTimeout(releaseFetch, 300);
    await stopping;
    stopped = true;
    await delay(1_500);
    expect(queriesAfterStop).toEqual([]);

    // The job fetched during the stop did not run; it is left for the next start to retry.
    const jobs = await database.executeSql(`SELECT state FROM pgboss.job WHERE name = $1`, [SLA_SCAN_QUEUE]);
    expect(jobs.rows).toEqual([{ state: 'retry' }]);
    await database.close();
  });
});
