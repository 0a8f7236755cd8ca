import PgBoss from 'pg-boss';
import type { ServiceContext } from '../services/context.ts';
import { scanSlaClocks } from '../services/triage/sla-scan.service.ts';
import type { OpenDatabase } from '../storage/database.ts';

export const SLA_SCAN_QUEUE = 'sla-scan';

export interface JobRunner {
  boss: PgBoss;
  /** Queues a scan now (tests, and after a restart so nothing waits for the next minute). */
  requestScan(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Durable jobs on pg-boss 10, through the application's own pool: on PGlite
 * that is the single connection, so a job is never sent on a second
 * connection while a transaction holds the only one. The SLA scan runs every
 * minute, once across all instances (a singleton key per minute); its work
 * is idempotent, so a restart or a double run sends nothing twice.
 */
export async function startJobRunner(database: Pick<OpenDatabase, 'executeSql'>, ctx: ServiceContext, options: { schedule?: boolean; onError?: (error: unknown) => void } = {}): Promise<JobRunner> {
  const boss = new PgBoss({ db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) }, schema: 'pgboss', schedule: options.schedule ?? true, supervise: true });
  boss.on('error', options.onError ?? (() => undefined));
  await boss.start();
  await boss.createQueue(SLA_SCAN_QUEUE, { name: SLA_SCAN_QUEUE, policy: 'singleton' });
  await boss.work(SLA_SCAN_QUEUE, { pollingIntervalSeconds: 2 }, async () => {
    await scanSlaClocks(ctx);
  });
  if (options.schedule ?? true) await boss.schedule(SLA_SCAN_QUEUE, '* * * * *');
  return {
    boss,
    async requestScan() {
      await boss.send(SLA_SCAN_QUEUE, {});
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
