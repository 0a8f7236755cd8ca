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

/** Expired windows are deleted at most this often per process; a stale row is harmless meanwhile (the claim restarts it). */
const SWEEP_INTERVAL_MS = 60_000;

/** Share of a window's budget one claim takes: a twentieth (at least 1, so limits under 40 are counted request by request). */
export function leaseSize(limit: number): number {
  return Math.max(1, Math.floor(limit / 20));
}

/** What this process holds of one key's budget in the current window. */
interface Lease {
  /** Local clock; never later than the window's end on the database clock (see `claim`). */
  endsAt: number;
  /** Budget claimed by every instance before this lease: the shared count as far as this process knows. */
  claimedBefore: number;
  granted: number;
  used: number;
}

/**
 * A @fastify/rate-limit store on PostgreSQL, so instances behind a load
 * balancer share one budget per client instead of each granting the full one.
 * The plugin ships only memory and Redis stores; this is its documented custom
 * store interface (`incr`, `read`, `child`), so no Redis is needed next to the
 * database we already run.
 *
 * Quota is leased rather than counted per request: a process claims a slice
 * of a key's budget for the window (`leaseSize`, one atomic upsert) and counts
 * requests against it in memory until it is spent, then claims the next. The
 * shared row holds the budget handed out, which never grants past the limit,
 * so all instances together never allow more than the limit in a window; they
 * may refuse a little early (by at most the unspent part of the other
 * instances' slices). Once a claim comes back empty, the key stays refused
 * here until the window ends without asking again: within a window the budget
 * only shrinks. Windows run on the database clock, so instances with skewed
 * clocks still agree; a local lease ends no later than its window there.
 */
export function postgresRateLimitStore(db: Db) {
  const leases = new Map<string, Lease>();
  const claims = new Map<string, Promise<void>>();
  let lastSweep = 0;
  const sweep = () => {
    if (Date.now() - lastSweep < SWEEP_INTERVAL_MS) return;
    lastSweep = Date.now();
    for (const [key, lease] of leases) if (lease.endsAt <= lastSweep) leases.delete(key);
    sql`delete from rate_limit_counter where window_ends_at < now()`.execute(db).catch(() => undefined);
  };

  /**
   * One statement, atomic under concurrency (INSERT … ON CONFLICT takes the
   * row lock): opens a window on the first claim, adds a slice to the budget
   * handed out inside it, restarts it once it has ended. `hits` is capped at
   * limit + slice, so a refused client cannot overflow it; what this claim
   * got is worked out from the new total because RETURNING sees no old row.
   */
  async function claim(key: string, timeWindowMs: number, limit: number): Promise<Lease> {
    const slice = leaseSize(limit);
    // Taken before the statement: the window's end on the database clock, less the time to get there, ends the lease a little early, never late.
    const sentAt = Date.now();
    const { rows: [row] } = await sql<{ hits: number; ttl_ms: number }>`
      insert into rate_limit_counter as c (key, hits, window_ends_at)
      values (${key}, ${slice}, now() + make_interval(secs => ${timeWindowMs / 1000}))
      on conflict (key) do update set
        hits = case when c.window_ends_at <= now() then excluded.hits else least(c.hits, ${limit}) + excluded.hits end,
        window_ends_at = case when c.window_ends_at <= now() then excluded.window_ends_at else c.window_ends_at end
      returning hits, greatest(0, floor(extract(epoch from window_ends_at - now()) * 1000))::integer as ttl_ms
    `.execute(db);
    const claimedBefore = row!.hits - slice;
    return { endsAt: sentAt + row!.ttl_ms, claimedBefore, granted: Math.max(0, Math.min(slice, limit - claimedBefore)), used: 0 };
  }

  /**
   * Counts one request against the key's lease, claiming a new slice when it
   * is spent. Requests that find a claim under way wait for it instead of
   * sending their own; the check and the count happen in one synchronous step,
   * so concurrent requests never count past a lease.
   */
  async function take(key: string, timeWindowMs: number, limit: number): Promise<{ current: number; ttl: number }> {
    for (;;) {
      const held = leases.get(key);
      const now = Date.now();
      if (held && held.endsAt > now) {
        if (held.used < held.granted) {
          held.used += 1;
          return { current: held.claimedBefore + held.used, ttl: held.endsAt - now };
        }
        // A short claim means the window's budget is all handed out: it cannot grow back before the window ends.
        if (held.granted < leaseSize(limit)) return { current: limit + 1, ttl: held.endsAt - now };
      }
      const pending = claims.get(key);
      if (pending) {
        await pending.catch(() => undefined);
        continue;
      }
      const claiming = claim(key, timeWindowMs, limit)
        .then((fresh) => void leases.set(key, fresh))
        .finally(() => claims.delete(key));
      claims.set(key, claiming);
      await claiming;
    }
  }

  return class PostgresRateLimitStore {
    readonly prefix: string;

    constructor(_globalOptions: unknown, prefix = '') {
      this.prefix = prefix;
    }

    incr(key: string, callback: Callback, timeWindowMs: number, limit: number): void {
      sweep();
      take(this.prefix + key, timeWindowMs, limit).then((result) => callback(null, result), (error: Error) => callback(error));
    }

    /** The budget handed out in the current window: an upper bound on the requests counted, as it includes slices not yet spent. */
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
