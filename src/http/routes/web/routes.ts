import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteOptions } from '../../app.ts';
import { uiPaths } from './ui-paths.ts';

/** Where `npm run build:web` (Vite) writes the UI; see vite.config.ts. */
export const webDistDir = fileURLToPath(new URL('../../../../dist/web/', import.meta.url));

/**
 * Serves the web UI from the same origin as the API, so the strict CSP
 * ('self' only, no inline code) covers it. Assets have content-hashed names
 * and are cached for a year; index.html is never cached so a deployment takes
 * effect at once. Without a build the pages answer with how to build them.
 */
export const webRoutes: FastifyPluginAsyncZod<RouteOptions & { distDir?: string | undefined }> = async (app, { distDir = webDistDir }) => {
  const indexFile = join(distDir, 'index.html');
  const index = existsSync(indexFile) ? await readFile(indexFile) : undefined;
  await app.register(fastifyStatic, { root: join(distDir, 'assets'), serve: false, maxAge: '365d', immutable: true, index: false, dotfiles: 'deny' });

  app.get(
    '/assets/*',
    { config: { access: 'public' }, schema: { hide: true, params: z.object({ '*': z.string().max(200) }) } },
    async (request, reply) => reply.sendFile(request.params['*']),
  );

  for (const path of uiPaths) {
    app.get(path, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!index) return reply.status(503).type('text/plain; charset=utf-8').send('The web UI is not built. Run `npm run build:web` (npm start does it for you).\n');
      return reply.type('text/html; charset=utf-8').send(index);
    });
  }
};
