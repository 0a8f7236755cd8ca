import { setTimeout as delay } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import { publishDueAdvisories } from '../services/advisories/lifecycle.service.ts';
import type { ServiceContext } from '../services/context.ts';
import { scanSlaClocks } from '../services/triage/sla-scan.service.ts';
import type { OpenDatabase } from '../storage/database.ts';

export const SLA_SCAN_QUEUE = 'sla-scan';
export const ADVISORY_PUBLISH_QUEUE = 'advisory-publish-due';

export interface JobRunner {
  boss: PgBoss;
  /** Queues a scan now (tests, and after a restart so nothing waits for the next minute). */
  requestScan(): Promise<void>;
  /** Queues a run of the advisory publication job now. */
  requestAdvisoryPublication(): Promise<void>;
  /** Starts no new job, waits up to `timeoutMs` for running jobs and pg-boss's own queries, then stops: the pool may end after it. */
  stop(timeoutMs?: number): Promise<void>;
  /** Started, not stopped, and pg-boss has reported no error for a while: readiness asks this. */
  isHealthy(): boolean;
  /** Jobs waiting per queue (created or retrying), across every instance sharing the database. */
  queueDepths(): Promise<Record<string, number>>;
  /** Jobs whose handler failed on this instance since it started, per queue. */
  failureCounts(): Record<string, number>;
}

/**
 * A pg-boss error (it polls and maintains through the database, every couple of seconds) marks the runner
 * unhealthy for this long: quiet for that long after an outage means it works again.
 */
const ERROR_QUARANTINE_MS = 10_000;
const QUEUES = [SLA_SCAN_QUEUE, ADVISORY_PUBLISH_QUEUE] as const;

/**
 * Durable jobs on pg-boss 10, through the application's own pool: on PGlite
 * that is the single connection, so a job is never sent on a second
 * connection while a transaction holds the only one. The SLA scan runs every
 * minute, once across all instances (a singleton key per minute); its work
 * is idempotent, so a restart or a double run sends nothing twice.
 *
 * Scheduled advisories are published by a periodic job of the same kind
 * rather than one delayed job per advisory: a delayed job would have to be
 * sent inside the scheduling transaction on its connection (which Kysely does
 * not hand out) and cancelled on every unschedule or reschedule. The minute
 * job reads the schedule from the advisory rows themselves and publishes each
 * due one under its row lock only if it is still scheduled, so a restart, a
 * double run or a second instance publishes it exactly once, at most a
 * minute late and never early.
 */
export async function startJobRunner(database: Pick<OpenDatabase, 'executeSql'>, ctx: ServiceContext, options: { schedule?: boolean; onError?: (error: unknown) => void } = {}): Promise<JobRunner> {
  // pg-boss's own stop does not wait for everything it started: a worker whose fetch is in flight when stop begins
  // gets its job afterwards, and a finished job is marked complete or failed without being awaited. Its queries and
  // our handlers are counted here so stop() returns only when none is left and the pool can end after it.
  let queriesInFlight = 0;
  let jobsInFlight = 0;
  let stopping = false;
  const executeSql = async (text: string, values: unknown[]) => {
    queriesInFlight += 1;
    try {
      return await database.executeSql(text, values);
    } finally {
      queriesInFlight -= 1;
    }
  };
  const boss = new PgBoss({ db: { executeSql }, schema: 'pgboss', schedule: options.schedule ?? true, supervise: true });
  let running = false;
  let lastErrorAt = -Infinity;
  boss.on('error', (error) => {
    lastErrorAt = Date.now();
    options.onError?.(error);
  });
  boss.on('stopped', () => (running = false));
  const failures: Record<string, number> = Object.fromEntries(QUEUES.map((queue) => [queue, 0]));
  const counted = (queue: string, task: () => Promise<unknown>) => async () => {
    // Fetched after stop began: not started, so it does not outlive the pool; pg-boss retries it after the restart.
    if (stopping) throw new Error('the job runner is stopping; the job runs again after the restart');
    jobsInFlight += 1;
    try {
      await task();
    } catch (error) {
      failures[queue] = (failures[queue] ?? 0) + 1;
      throw error; // pg-boss marks the job failed and retries it by the queue's policy
    } finally {
      jobsInFlight -= 1;
    }
  };
  await boss.start();
  running = true;
  await boss.createQueue(SLA_SCAN_QUEUE, { name: SLA_SCAN_QUEUE, policy: 'singleton' });
  await boss.work(SLA_SCAN_QUEUE, { pollingIntervalSeconds: 2 }, counted(SLA_SCAN_QUEUE, () => scanSlaClocks(ctx)));
  await boss.createQueue(ADVISORY_PUBLISH_QUEUE, { name: ADVISORY_PUBLISH_QUEUE, policy: 'singleton' });
  await boss.work(ADVISORY_PUBLISH_QUEUE, { pollingIntervalSeconds: 2 }, counted(ADVISORY_PUBLISH_QUEUE, () => publishDueAdvisories(ctx)));
  if (options.schedule ?? true) {
    await boss.schedule(SLA_SCAN_QUEUE, '* * * * *');
    await boss.schedule(ADVISORY_PUBLISH_QUEUE, '* * * * *');
  }
  return {
    boss,
    async requestScan() {
      await boss.send(SLA_SCAN_QUEUE, {});
    },
    async requestAdvisoryPublication() {
      await boss.send(ADVISORY_PUBLISH_QUEUE, {});
    },
    async stop(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      running = false;
      stopping = true;
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
      // Polled on a timer, so a job's un-awaited completion query (issued a few microtasks after the job ends) is counted.
      while ((queriesInFlight > 0 || jobsInFlight > 0) && Date.now() < deadline) await delay(20);
    },
    isHealthy: () => running && Date.now() - lastErrorAt > ERROR_QUARANTINE_MS,
    async queueDepths() {
      const sizes = await Promise.all(QUEUES.map(async (queue) => [queue, await boss.getQueueSize(queue)] as const));
      return Object.fromEntries(sizes);
    },
    failureCounts: () => ({ ...failures }),
  };
}
