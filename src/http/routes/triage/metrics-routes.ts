import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { projectMetrics, publicResponseStatistics } from '../../../services/triage/metrics.service.ts';
import type { RouteOptions } from '../../app.ts';
import { slugParams } from '../projects/schema.ts';

const periodQuery = z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }).strict();
const DAY = 86_400_000;

/** Response metrics for the team, and the aggregates a project may choose to publish. */
export const metricsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/projects/:slug/metrics', { config: { access: { action: 'project.metrics', projectParam: 'slug' } }, schema: { tags: ['triage'], security: [{ bearer: [] }], params: slugParams, querystring: periodQuery } }, async (request) => {
    const to = request.query.to ? new Date(request.query.to) : ctx.now();
    const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 90 * DAY);
    return projectMetrics(ctx, request.params.slug, { from, to });
  });

  app.get('/p/:slug/response-statistics.json', { config: { access: 'public' }, schema: { tags: ['policy documents'], params: slugParams } }, async (request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send(await publicResponseStatistics(ctx, request.params.slug)),
  );
};
