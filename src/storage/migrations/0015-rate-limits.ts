import { sql, type Kysely } from 'kysely';

/**
 * Request counters of the shared rate-limit store (storage/rate-limit-store.ts),
 * one row per limited key and window. UNLOGGED: the counters are worthless
 * after a crash (a lost window only resets a budget early), so they skip the
 * write-ahead log, which keeps a counter bump on every request cheap.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unlogged table rate_limit_counter (
      key text primary key,
      hits integer not null,
      window_ends_at timestamptz not null
    )
  `.execute(db);
  await sql`create index rate_limit_counter_window_ends_at on rate_limit_counter (window_ends_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_counter').execute();
}
