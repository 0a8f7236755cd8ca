import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { acknowledgements, listPublicAdvisoriesOf, readPublicAdvisory } from '../../../services/advisories/public.service.ts';
import type { RouteOptions } from '../../app.ts';
import { slugParams } from '../projects/schema.ts';
import { JSON_TYPE, newest, sendCacheable } from './cache.ts';
import { presentListEntry, presentPublicAdvisory } from './presenter.ts';
import { projectAdvisoryParams } from './schema.ts';

const tags = ['advisories (public)'];

/**
 * Public JSON: only published and withdrawn advisories, to anyone, cacheable
 * (ETag, Last-Modified, 304). A draft answers 404 exactly like an id that does
 * not exist, to everyone, signed in or not: the team reads drafts through
 * /api/v1/advisories/:advisoryId and /api/v1/projects/:slug/advisories/drafts.
 */
export const advisoryPublicRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, publicUrl }) => {
  app.get('/api/v1/advisories', { config: { access: 'public' }, schema: { tags } }, async (request, reply) => {
    const advisories = await listPublicAdvisoriesOf(ctx);
    const body = JSON.stringify({ advisories: advisories.map((a) => presentListEntry(publicUrl, a)) });
    return sendCacheable(request, reply, body, JSON_TYPE, newest(advisories.map((a) => a.modified)));
  });

  app.get('/api/v1/projects/:slug/advisories', { config: { access: 'public' }, schema: { tags, params: slugParams } }, async (request, reply) => {
    const advisories = await listPublicAdvisoriesOf(ctx, request.params.slug);
    const body = JSON.stringify({ advisories: advisories.map((a) => presentListEntry(publicUrl, a)) });
    return sendCacheable(request, reply, body, JSON_TYPE, newest(advisories.map((a) => a.modified)));
  });

  app.get('/api/v1/projects/:slug/advisories/:advisoryId', { config: { access: 'public' }, schema: { tags, params: projectAdvisoryParams } }, async (request, reply) => {
    const advisory = await readPublicAdvisory(ctx, request.params.slug, request.params.advisoryId);
    return sendCacheable(request, reply, JSON.stringify(presentPublicAdvisory(publicUrl, advisory)), JSON_TYPE, new Date(advisory.modified));
  });

  app.get('/api/v1/acknowledgements', { config: { access: 'public' }, schema: { tags } }, async (request, reply) =>
    sendCacheable(request, reply, JSON.stringify({ acknowledgements: await acknowledgements(ctx) }), JSON_TYPE, undefined),
  );

  app.get('/p/:slug/acknowledgements.json', { config: { access: 'public' }, schema: { tags, params: slugParams } }, async (request, reply) =>
    sendCacheable(request, reply, JSON.stringify({ acknowledgements: await acknowledgements(ctx, request.params.slug) }), JSON_TYPE, undefined),
  );
};
