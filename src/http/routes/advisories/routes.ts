import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteOptions } from '../../app.ts';
import { advisoryFeedRoutes } from './feed-routes.ts';
import { advisoryPublicRoutes } from './public-routes.ts';
import { advisoryTeamRoutes } from './team-routes.ts';

/** Advisories: the team's drafting and life cycle, and the public reads (JSON, feeds, OSV). */
export const advisoryRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await app.register(advisoryTeamRoutes, options);
  await app.register(advisoryPublicRoutes, options);
  await app.register(advisoryFeedRoutes, options);
};
