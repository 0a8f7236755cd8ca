import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getOrganisation, updateOrganisation } from '../../../services/organisation.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { signedIn } from '../../signed-in.ts';

const organisationView = z.object({ id: z.uuid(), name: z.string(), mfaRequiredForAdmins: z.boolean(), mfaRequiredForAll: z.boolean() });
const updateBody = z
  .object({ name: z.string().trim().min(1).max(200).optional(), mfaRequiredForAdmins: z.boolean().optional(), mfaRequiredForAll: z.boolean().optional() })
  .strict();
const bearer = [{ bearer: [] }];

export const organisationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/organisation', { config: { access: 'organisation.read' }, schema: { tags: ['organisation'], security: bearer, response: { 200: organisationView } } }, async () => getOrganisation(ctx));

  app.patch('/api/v1/organisation', { config: { access: 'organisation.manage' }, schema: { tags: ['organisation'], security: bearer, body: updateBody, response: { 200: organisationView } } }, async (request) =>
    updateOrganisation(ctx, signedIn(request.principal), request.body, requestMeta(request)),
  );
};
