import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { EmbargoError } from '../../errors.ts';
import type { OpenDatabase } from '../../storage/database.ts';
import { postgresRateLimitStore } from '../../storage/rate-limit-store.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route runs a password hash: bound the hashing work each client can cause at once. */
    hashWork?: boolean;
  }
}

/** Concurrent argon2 computations allowed per client address, and in all. */
export const HASH_WORK_PER_IP = 2;
export const HASH_WORK_TOTAL = 8;

/**
 * Two limits. Requests per minute per address (429 with Retry-After), with a
 * much lower budget on authentication routes. And, for routes that hash a
 * password, a cap on hashes in flight per address and overall: argon2 is
 * deliberately expensive, so without it a flood of logins would burn the CPU
 * and delay everyone else's requests.
 *
 * Where the counts live depends on the database. On PostgreSQL, several
 * instances may share it behind a load balancer, so the counts live there
 * too (storage/rate-limit-store.ts) and a client's budget is the configured
 * one in total, not per instance. If that store cannot be reached the limit
 * is skipped rather than failing the request: the request needs the database
 * anyway and answers `database_unavailable` on its own, while /healthz keeps
 * answering. Embedded PGlite serves one process and has a single connection
 * every statement queues for, so a counter write per request would only add
 * latency: the plugin's memory store is exact there. The hashing cap stays in
 * memory in both cases: it bounds this process's CPU, which is per instance
 * by nature.
 */
export const rateLimitPlugin = fp(async (app: FastifyInstance, opts: { perMinute: number; database: Pick<OpenDatabase, 'kind' | 'db'> }) => {
  const shared = opts.database.kind === 'postgres' ? { store: postgresRateLimitStore(opts.database.db), skipOnError: true } : {};
  await app.register(rateLimit, { global: true, max: opts.perMinute, timeWindow: '1 minute', ...shared });

  const inFlight = new Map<string, number>();
  const releases = new WeakMap<object, () => void>();
  let total = 0;
  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config?.hashWork) return;
    const key = request.ip;
    const current = inFlight.get(key) ?? 0;
    if (current >= HASH_WORK_PER_IP || total >= HASH_WORK_TOTAL) {
      reply.header('retry-after', '1');
      throw new EmbargoError('rate_limited', 'too many sign-in attempts at once; retry in a moment');
    }
    inFlight.set(key, current + 1);
    total += 1;
    releases.set(request, () => {
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left <= 0) inFlight.delete(key);
      else inFlight.set(key, left);
      total -= 1;
    });
  });
  const release = async (request: object) => {
    releases.get(request)?.();
    releases.delete(request);
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
});
