import { describe, expect, it } from 'vitest';
import { createRenderCache } from './render-cache.ts';

describe('render cache', () => {
  const counting = () => {
    let renders = 0;
    return { render: async () => `body ${++renders}`, count: () => renders };
  };

  it('serves one render while it is fresh, and renders again once it is not', async () => {
    let clock = 0;
    const cache = createRenderCache({ ttlMs: 1000, now: () => clock });
    const source = counting();
    expect(await cache.remember('a', source.render)).toBe('body 1');
    clock = 999;
    expect(await cache.remember('a', source.render)).toBe('body 1');
    clock = 1000;
    expect(await cache.remember('a', source.render)).toBe('body 2');
    expect(await cache.remember('b', source.render)).toBe('body 3');
  });

  it('shares one render between concurrent misses', async () => {
    const cache = createRenderCache({ ttlMs: 1000 });
    const source = counting();
    const answers = await Promise.all([1, 2, 3].map(() => cache.remember('a', source.render)));
    expect(answers).toEqual(['body 1', 'body 1', 'body 1']);
    expect(source.count()).toBe(1);
  });

  it('forgets everything when cleared, and never keeps a failure', async () => {
    const cache = createRenderCache({ ttlMs: 60_000 });
    const source = counting();
    await cache.remember('a', source.render);
    cache.clear();
    expect(await cache.remember('a', source.render)).toBe('body 2');
    await expect(cache.remember('b', () => Promise.reject(new Error('not found')))).rejects.toThrow('not found');
    expect(await cache.remember('b', source.render)).toBe('body 3');
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const cache = createRenderCache({ ttlMs: 60_000, maxEntries: 2 });
    const source = counting();
    await cache.remember('a', source.render);
    await cache.remember('b', source.render);
    await cache.remember('c', source.render);
    expect(await cache.remember('b', source.render)).toBe('body 2');
    expect(await cache.remember('a', source.render)).toBe('body 4');
  });

  it('passes through when the time to live is 0', async () => {
    const cache = createRenderCache({ ttlMs: 0 });
    const source = counting();
    await cache.remember('a', source.render);
    expect(await cache.remember('a', source.render)).toBe('body 2');
  });
});
