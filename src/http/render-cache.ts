import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A short-lived cache of public renderings (advisory JSON, OSV, feeds,
 * security.txt), so that a crowd reading one advisory costs one render a
 * second instead of four queries and a Markdown pass per request.
 *
 * Freshness: every successful write through this instance clears it before
 * the writer gets its answer (see `clearOnWrites`), so whoever changes an
 * advisory or a policy reads the change back at once; a write through
 * another instance, or by a background job, shows here within `ttlMs`. That
 * is far inside what the responses already allow every shared cache
 * (`Cache-Control: public, max-age=300`). Concurrent misses share one render,
 * failures are not kept, and the number of entries is bounded.
 */
export interface RenderCache {
  remember<T>(key: string, render: () => Promise<T>): Promise<T>;
  clear(): void;
}

interface Entry {
  value: Promise<unknown>;
  at: number;
}

export function createRenderCache(options: { ttlMs: number; maxEntries?: number; now?: () => number }): RenderCache {
  const { ttlMs, maxEntries = 1000, now = () => performance.now() } = options;
  const entries = new Map<string, Entry>();
  return {
    remember<T>(key: string, render: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0) return render();
      const found = entries.get(key);
      if (found && now() - found.at < ttlMs) return found.value as Promise<T>;
      const entry: Entry = { value: render(), at: now() };
      entries.delete(key); // re-inserted last, so the first key is always the oldest
      entries.set(key, entry);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.value as Promise<T>;
    },
    clear: () => entries.clear(),
  };
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Clears `cache` when a write succeeds, in onSend: after its transaction committed, before its answer leaves. */
export function clearOnWrites(app: FastifyInstance, cache: RenderCache): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!READS.has(request.method) && reply.statusCode < 400) cache.clear();
    return payload;
  });
}

/** The cache key of a public read: its path; the query never changes what these routes render. */
export const renderKey = (request: FastifyRequest) => `${request.method === 'HEAD' ? 'GET' : request.method} ${request.url.split('?', 1)[0]}`;
