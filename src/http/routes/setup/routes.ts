import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { completeSetup, isSetupComplete } from '../../../services/setup.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { setupBody, setupResponse, setupStatusResponse } from './schema.ts';

/**
 * First-owner setup. The one-time token travels in the URL fragment of the
 * printed link (never sent to the server in a URL, so never in access logs or
 * Referer headers); the setup page of the web UI posts it in the JSON body.
 */
export const setupRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/setup', { config: { access: 'public' }, schema: { tags: ['setup'], response: { 200: setupStatusResponse } } }, async () => ({
    required: !(await isSetupComplete(ctx)),
  }));

  app.post(
    '/api/v1/setup',
    {
      config: { access: 'public', hashWork: true },
      schema: { tags: ['setup'], summary: 'Create the first owner with the one-time setup token', body: setupBody, response: { 201: setupResponse } },
    },
    async (request, reply) => reply.status(201).send(await completeSetup(ctx, request.body, requestMeta(request))),
  );

};
