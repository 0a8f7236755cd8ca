/**
 * Inbox queries at 10 k, 100 k and 1 M reports in a throwaway PostgreSQL 15
 * cluster: p50/p95 of the main inbox queries. Seeding 1 M takes 30 s to 2 min
 * (docs/PERFORMANCE.md); BENCH_INBOX_SIZES=10000,100000 leaves it out.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase } from '../src/storage/database.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';
import { queryInbox, type InboxFilter } from '../src/storage/repositories/inbox.repository.ts';
import { createDatabase, startPostgresCluster } from '../test/support/postgres-cluster.ts';
import { percentile, type Row } from './support.ts';

const sizes = (process.env.BENCH_INBOX_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const RUNS = 40;

async function seed(db: Awaited<ReturnType<typeof openDatabase>>['db'], count: number, projectIds: string[]) {
  // Set-based insert: realistic spread of states, severities, due dates and assignees, in one statement per 100 k.
  for (let start = 0; start < count; start += 100_000) {
    const n = Math.min(100_000, count - start);
    await sql`
      insert into report (id, project_id, human_id, source, title_clear, fields_sealed, credit_mode, version_status, policy_revision,
                          state, severity, clock_status, next_due_at, labels, created_at, updated_at, closed_at)
      select gen_random_uuid(), (${sql.val(projectIds)}::uuid[])[1 + (i % ${projectIds.length})], 'BENCH-' || (${start} + i), 'api',
             'Report number ' || (${start} + i), 'x', 'none', 'unknown', 1,
             (array['received','acknowledged','needs_info','accepted','fix_in_progress','fixed','closed'])[1 + (i % 7)],
             (array['low','medium','high','critical'])[1 + (i % 4)],
             (array['on_track','due_soon','breached','paused'])[1 + (i % 4)],
             now() + ((i % 2000) - 1000) * interval '1 hour',
             case when i % 10 = 0 then '["auth"]'::jsonb else '[]'::jsonb end,
             now() - (i * interval '1 minute'), now(),
             case when i % 7 = 6 then now() else null end
      from generate_series(1, ${n}) as i`.execute(db);
  }
  await sql`analyze report`.execute(db);
}

export async function inboxBenchmark(): Promise<Row[]> {
  const cluster = await startPostgresCluster();
  const rows: Row[] = [];
  try {
    for (const size of sizes) {
      const database = await openDatabase({ kind: 'postgres', url: await createDatabase(cluster.url, `bench_${size}`), ssl: 'disable', poolSize: 4 });
      await migrateToLatest(database.db);
      const org = await database.db.insertInto('organisation').values({ name: 'Bench' }).returning('id').executeTakeFirstOrThrow();
      const projectIds: string[] = [];
      for (const slug of ['alpha', 'beta', 'gamma', 'delta']) {
        const project = await database.db.insertInto('project').values({ organisation_id: org.id, slug, name: slug, policy_revision: 1 }).returning('id').executeTakeFirstOrThrow();
        projectIds.push(project.id);
      }
      const t0 = performance.now();
      await seed(database.db, size, projectIds);
      rows.push({ benchmark: 'inbox', case: `${size} reports: seeding`, result: `${((performance.now() - t0) / 1000).toFixed(1)} s` });

      const base: InboxFilter = { projectIds: 'all', includeClosed: false, includeSpam: false, sort: 'due', limit: 50 };
      const queries: Array<[string, InboxFilter]> = [
        ['all open, most overdue first', base],
        ['one project, newest first', { ...base, projectId: projectIds[0], sort: 'newest' }],
        ['member of two projects, due', { ...base, projectIds: projectIds.slice(0, 2) }],
        ['state + severity filter', { ...base, states: ['received', 'acknowledged'], severities: ['critical'] }],
        ['breached clocks', { ...base, clockStatuses: ['breached'] }],
        ['label', { ...base, label: 'auth' }],
        ['title search', { ...base, text: 'number 4242' }],
      ];
      for (const [name, filter] of queries) {
        const timings: number[] = [];
        let page = await queryInbox(database.db, filter);
        for (let run = 0; run < RUNS; run++) {
          const last = page.at(-1);
          const after = run % 2 === 1 && last ? { key: filter.sort === 'due' ? (last.next_due_at?.toISOString() ?? null) : last.created_at.toISOString(), id: last.id } : undefined;
          const start = performance.now();
          page = await queryInbox(database.db, { ...filter, after });
          timings.push(performance.now() - start);
        }
        rows.push({ benchmark: 'inbox', case: `${size} reports: ${name}, ms`, result: `p50 ${percentile(timings, 50).toFixed(2)} / p95 ${percentile(timings, 95).toFixed(2)}` });
      }
      await database.close();
    }
  } finally {
    await cluster.stop();
  }
  return rows;
}
