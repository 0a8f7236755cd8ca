import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * What @fastify/rate-limit hands `child()`: the route's merged limit settings
 * with the route as `routeInfo` (empty for `createRateLimit`). Its typings
 * describe the route options themselves, hence the optional `url`.
 */
interface ChildOptions {
  url?: string;
  routeInfo?: { method?: string | string[]; url?: string };
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** Expired windows are deleted at most this often per process; a stale row is harmless meanwhile (the upsert restarts it). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * A @fastify/rate-limit store on PostgreSQL, so instances behind a load
 * balancer share one budget per client instead of each granting the full one.
 * The plugin ships only memory and Redis stores; this is its documented custom
 * store interface (`incr`, `read`, `child`) over one upsert, so no Redis is
 * needed next to the database we already run.
 *
 * One statement per request, atomic under concurrency (INSERT … ON CONFLICT
 * takes the row lock): it opens a fixed window on the first hit, counts hits
 * inside it, and restarts it once it has ended. Windows run on the database
 * clock, so instances with skewed clocks still agree.
 */
export function postgresRateLimitStore(db: Db) {
  let lastSweep = 0;
  const sweep = () => {
    if (Date.now() - lastSweep < SWEEP_INTERVAL_MS) return;
    lastSweep = Date.now();
    sql`delete from rate_limit_counter where window_ends_at < now()`.execute(db).catch(() => undefined);
  };

  return class PostgresRateLimitStore {
    readonly prefix: string;

    constructor(_globalOptions: unknown, prefix = '') {
      this.prefix = prefix;
    }

    incr(key: string, callback: Callback, timeWindowMs: number): void {
      sweep();
      sql<{ hits: number; ttl_ms: number }>`
        insert into rate_limit_counter as c (key, hits, window_ends_at)
        values (${this.prefix + key}, 1, now() + make_interval(secs => ${timeWindowMs / 1000}))
        on conflict (key) do update set
          hits = case when c.window_ends_at <= now() then 1 else c.hits + 1 end,
          window_ends_at = case when c.window_ends_at <= now() then excluded.window_ends_at else c.window_ends_at end
        returning hits, greatest(0, ceil(extract(epoch from window_ends_at - now()) * 1000))::integer as ttl_ms
      `
        .execute(db)
        .then(({ rows: [row] }) => callback(null, { current: row!.hits, ttl: row!.ttl_ms }), (error: Error) => callback(error));
    }

    read(key: string, callback: Callback): void {
      sql<{ hits: number; ttl_ms: number }>`
        select hits, ceil(extract(epoch from window_ends_at - now()) * 1000)::integer as ttl_ms
        from rate_limit_counter where key = ${this.prefix + key} and window_ends_at > now()
      `
        .execute(db)
        .then(({ rows: [row] }) => callback(null, row ? { current: row.hits, ttl: row.ttl_ms } : { current: 0, ttl: 0 }), (error: Error) => callback(error));
    }

    /** A route with its own limit counts in its own namespace, as the plugin's stores do. */
    child(options: ChildOptions): PostgresRateLimitStore {
      const method = [options.routeInfo?.method ?? ''].flat().join(',');
      return new PostgresRateLimitStore(options, `${method} ${options.routeInfo?.url ?? ''}|`);
    }
  };
}
