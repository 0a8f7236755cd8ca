import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/support/databases.ts';
import type { OpenDatabase } from './database.ts';
import { leaseSize, postgresRateLimitStore } from './rate-limit-store.ts';

type Store = InstanceType<ReturnType<typeof postgresRateLimitStore>>;

/** PostgreSQL only: on PGlite the rate limits use the plugin's memory store (see http/plugins/rate-limits.ts). */
describe('PostgreSQL rate-limit store (leased quota)', () => {
  let database: OpenDatabase;
  let instances: [Store, Store];

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    // Two closures are two processes: each holds its own leases over the one shared table.
    instances = [new (postgresRateLimitStore(database.db))({}), new (postgresRateLimitStore(database.db))({})];
  });
  afterAll(async () => {
    await database?.close();
  });

  const incr = (store: Store, key: string, limit: number, windowMs = 60_000) =>
    new Promise<{ current: number; ttl: number }>((resolve, reject) => store.incr(key, (error, result) => (error ? reject(error) : resolve(result!)), windowMs, limit));
  const handedOut = async (key: string) => (await database.db.selectFrom('rate_limit_counter' as never).select('hits' as never).where('key' as never, '=', key as never).executeTakeFirst()) as { hits: number } | undefined;

  it('never lets two instances together allow more than the limit, even under concurrent requests, and stops at most a slice early on each', async () => {
    const limit = 100;
    const results = await Promise.all(Array.from({ length: 160 }, (_, i) => incr(instances[i % 2]!, '198.51.100.1', limit)));
    const allowed = results.filter((r) => r.current <= limit).length;
    expect(allowed).toBeLessThanOrEqual(limit);
    expect(allowed).toBeGreaterThanOrEqual(limit - 2 * (leaseSize(limit) - 1));
    expect(results.filter((r) => r.current > limit).every((r) => r.ttl > 0)).toBe(true);
    // Refused clients do not grow the shared row past the limit plus one slice.
    expect((await handedOut('198.51.100.1'))!.hits).toBeLessThanOrEqual(limit + leaseSize(limit));
  });

  it('claims quota a slice at a time and counts the requests inside a slice locally', async () => {
    const limit = 600;
    for (let i = 0; i < 3; i++) expect((await incr(instances[0], '198.51.100.2', limit)).current).toBe(i + 1);
    expect(await handedOut('198.51.100.2')).toEqual({ hits: leaseSize(limit) });
    // The other instance's first request claims the next slice and counts after the first one's.
    expect((await incr(instances[1], '198.51.100.2', limit)).current).toBe(leaseSize(limit) + 1);
    expect(await handedOut('198.51.100.2')).toEqual({ hits: 2 * leaseSize(limit) });
  });

  it('counts a limit under 40 request by request, exactly, across instances', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await incr(instances[i % 2]!, '198.51.100.3', 5)).current <= 5);
    expect(statuses).toEqual([true, true, true, true, true, false, false]);
  });

  it('grants a fresh budget once the window has ended', async () => {
    const windowMs = 1_000;
    for (let i = 0; i < 2; i++) expect((await incr(instances[i]!, '198.51.100.4', 1, windowMs)).current).toBe(i === 0 ? 1 : 2);
    await new Promise((resolve) => setTimeout(resolve, windowMs + 100));
    expect((await incr(instances[1], '198.51.100.4', 1, windowMs)).current).toBe(1);
    expect((await incr(instances[0], '198.51.100.4', 1, windowMs)).current).toBe(2);
  });
});
