import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { acknowledgements, listPublicAdvisoriesOf, readPublicAdvisory } from '../../../services/advisories/public.service.ts';
import type { RouteOptions } from '../../app.ts';
import { slugParams } from '../projects/schema.ts';
import { cachedRendering, JSON_TYPE, newest, sendRendering } from './cache.ts';
import { presentListEntry, presentPublicAdvisory } from './presenter.ts';
import { projectAdvisoryParams } from './schema.ts';

const tags = ['advisories (public)'];

/**
 * Public JSON: only published and withdrawn advisories, to anyone, cacheable
 * (ETag, Last-Modified, 304). A draft answers 404 exactly like an id that does
 * not exist, to everyone, signed in or not: the team reads drafts through
 * /api/v1/advisories/:advisoryId and /api/v1/projects/:slug/advisories/drafts.
 */
export const advisoryPublicRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, publicUrl, renderCache }) => {
  app.get('/api/v1/advisories', { config: { access: 'public' }, schema: { tags } }, async (request, reply) => {
    const rendering = await cachedRendering(renderCache, request, async () => {
      const advisories = await listPublicAdvisoriesOf(ctx);
      return { body: JSON.stringify({ advisories: advisories.map((a) => presentListEntry(publicUrl, a)) }), modified: newest(advisories.map((a) => a.modified)) };
    });
    return sendRendering(request, reply, rendering, JSON_TYPE);
  });

  app.get('/api/v1/projects/:slug/advisories', { config: { access: 'public' }, schema: { tags, params: slugParams } }, async (request, reply) => {
    const rendering = await cachedRendering(renderCache, request, async () => {
      const advisories = await listPublicAdvisoriesOf(ctx, request.params.slug);
      return { body: JSON.stringify({ advisories: advisories.map((a) => presentListEntry(publicUrl, a)) }), modified: newest(advisories.map((a) => a.modified)) };
    });
    return sendRendering(request, reply, rendering, JSON_TYPE);
  });

  app.get('/api/v1/projects/:slug/advisories/:advisoryId', { config: { access: 'public' }, schema: { tags, params: projectAdvisoryParams } }, async (request, reply) => {
    const rendering = await cachedRendering(renderCache, request, async () => {
      const advisory = await readPublicAdvisory(ctx, request.params.slug, request.params.advisoryId);
      return { body: JSON.stringify(presentPublicAdvisory(publicUrl, advisory)), modified: new Date(advisory.modified) };
    });
    return sendRendering(request, reply, rendering, JSON_TYPE);
  });

  app.get('/api/v1/acknowledgements', { config: { access: 'public' }, schema: { tags } }, async (request, reply) => {
    const rendering = await cachedRendering(renderCache, request, async () => ({ body: JSON.stringify({ acknowledgements: await acknowledgements(ctx) }), modified: undefined }));
    return sendRendering(request, reply, rendering, JSON_TYPE);
  });

  app.get('/p/:slug/acknowledgements.json', { config: { access: 'public' }, schema: { tags, params: slugParams } }, async (request, reply) => {
    const rendering = await cachedRendering(renderCache, request, async () => ({ body: JSON.stringify({ acknowledgements: await acknowledgements(ctx, request.params.slug) }), modified: undefined }));
    return sendRendering(request, reply, rendering, JSON_TYPE);
  });
};
