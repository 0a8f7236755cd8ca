import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { acknowledgements, listPublicAdvisoriesOf, readPublicAdvisory } from '../../../services/advisories/public.service.ts';
import type { RouteOptions } from '../../app.ts';
import { renderKey } from '../../render-cache.ts';
import { slugParams } from '../projects/schema.ts';
import { entityTag, JSON_TYPE, newest, sendCacheable } from './cache.ts';
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
  // Each rendering is kept with its entity tag, so a cache hit neither queries nor hashes.
  const rendered = (request: FastifyRequest, render: () => Promise<{ body: string; modified: Date | undefined }>) =>
    renderCache.remember(renderKey(request), async () => {
      const { body, modified } = await render();
      return { body, modified, etag: entityTag(body) };
    });

  app.get('/api/v1/advisories', { config: { access: 'public' }, schema: { tags } }, async (request, reply) => {
    const { body, modified, etag } = await rendered(request, async () => {
      const advisories = await listPublicAdvisoriesOf(ctx);
      return { body: JSON.stringify({ advisories: advisories.map((a) => presentListEntry(publicUrl, a)) }), modified: newest(advisories.map((a) => a.modified)) };
    });
    return sendCacheable(request, reply, body, JSON_TYPE, modified, etag);
  });

  app.get('/api/v1/projects/:slug/advisories', { config: { access: 'public' }, schema: { tags, params: slugParams } }, async (request, reply) => {
    const { body, modified, etag } = await rendered(request, async () => {
      const advisories = await listPublicAdvisoriesOf(ctx, request.params.slug);
      return { body: JSON.stringify({ advisories: advisories.map((a) => presentListEntry(publicUrl, a)) }), modified: newest(advisories.map((a) => a.modified)) };
    });
    return sendCacheable(request, reply, body, JSON_TYPE, modified, etag);
  });

  app.get('/api/v1/projects/:slug/advisories/:advisoryId', { config: { access: 'public' }, schema: { tags, params: projectAdvisoryParams } }, async (request, reply) => {
    const { body, modified, etag } = await rendered(request, async () => {
      const advisory = await readPublicAdvisory(ctx, request.params.slug, request.params.advisoryId);
      return { body: JSON.stringify(presentPublicAdvisory(publicUrl, advisory)), modified: new Date(advisory.modified) };
    });
    return sendCacheable(request, reply, body, JSON_TYPE, modified, etag);
  });

  app.get('/api/v1/acknowledgements', { config: { access: 'public' }, schema: { tags } }, async (request, reply) => {
    const { body, etag } = await rendered(request, async () => ({ body: JSON.stringify({ acknowledgements: await acknowledgements(ctx) }), modified: undefined }));
    return sendCacheable(request, reply, body, JSON_TYPE, undefined, etag);
  });

  app.get('/p/:slug/acknowledgements.json', { config: { access: 'public' }, schema: { tags, params: slugParams } }, async (request, reply) => {
    const { body, etag } = await rendered(request, async () => ({ body: JSON.stringify({ acknowledgements: await acknowledgements(ctx, request.params.slug) }), modified: undefined }));
    return sendCacheable(request, reply, body, JSON_TYPE, undefined, etag);
  });
};
