import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Advisory } from '../../../domain/advisories/model.ts';
import { renderAtom } from '../../../formats/atom.ts';
import { renderOsv } from '../../../formats/osv.ts';
import { zip } from '../../../formats/zip.ts';
import { listPublicAdvisoriesOf, readPublicAdvisory } from '../../../services/advisories/public.service.ts';
import { getProject } from '../../../services/project.service.ts';
import type { RouteOptions } from '../../app.ts';
import { slugParams } from '../projects/schema.ts';
import { cachedRendering, JSON_TYPE, newest, sendCacheable, sendRendering } from './cache.ts';
import { advisoryLinks } from './presenter.ts';
import { projectAdvisoryParams } from './schema.ts';

const tags = ['advisories (public)'];
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

/** An empty feed is as old as the instance's first possible advisory: a fixed date keeps its ETag stable. */
const EMPTY_FEED_UPDATED = '1970-01-01T00:00:00Z';

function atom(publicUrl: string, selfUrl: string, title: string, advisories: readonly Advisory[]) {
  const modified = newest(advisories.map((a) => a.modified));
  const body = renderAtom({ id: selfUrl, title, selfUrl, updated: modified?.toISOString() ?? EMPTY_FEED_UPDATED, author: title, entries: advisories.map((advisory) => ({ advisory, url: advisoryLinks(publicUrl, advisory).json })) });
  return { body, modified };
}

/** Machine-readable public advisories: Atom feeds, OSV per advisory and in bulk. Published and withdrawn only, cacheable like the JSON API. */
export const advisoryFeedRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, publicUrl, renderCache }) => {
  app.get('/advisories.atom', { config: { access: 'public' }, schema: { tags } }, async (request, reply) => {
    const feed = await cachedRendering(renderCache, request, async () => atom(publicUrl, `${publicUrl}/advisories.atom`, 'Security advisories', await listPublicAdvisoriesOf(ctx)));
    return sendRendering(request, reply, feed, ATOM_TYPE);
  });

  app.get('/p/:slug/advisories.atom', { config: { access: 'public' }, schema: { tags, params: slugParams } }, async (request, reply) => {
    const feed = await cachedRendering(renderCache, request, async () => {
      const project = await getProject(ctx, request.params.slug);
      return atom(publicUrl, `${publicUrl}/p/${project.slug}/advisories.atom`, `${project.name} security advisories`, await listPublicAdvisoriesOf(ctx, project.slug));
    });
    return sendRendering(request, reply, feed, ATOM_TYPE);
  });

  app.get('/p/:slug/advisories/:advisoryId.osv.json', { config: { access: 'public' }, schema: { tags, params: projectAdvisoryParams } }, async (request, reply) => {
    const osv = await cachedRendering(renderCache, request, async () => {
      const advisory = await readPublicAdvisory(ctx, request.params.slug, request.params.advisoryId);
      return { body: JSON.stringify(renderOsv(advisory), null, 2), modified: new Date(advisory.modified) };
    });
    return sendRendering(request, reply, osv, JSON_TYPE);
  });

  // The layout of OSV's own bulk exports (one <id>.json per entry), so OSV tooling can mirror a project.
  app.get('/p/:slug/advisories/all.zip', { config: { access: 'public' }, schema: { tags, params: slugParams } }, async (request, reply) => {
    const advisories = await listPublicAdvisoriesOf(ctx, request.params.slug, Number.MAX_SAFE_INTEGER);
    const entries = advisories.map((advisory) => {
      const osv = renderOsv(advisory);
      return { name: `${osv.id}.json`, data: Buffer.from(JSON.stringify(osv, null, 2)), modified: new Date(advisory.modified) };
    });
    return sendCacheable(request, reply, zip(entries), 'application/zip', newest(advisories.map((a) => a.modified)));
  });
};
