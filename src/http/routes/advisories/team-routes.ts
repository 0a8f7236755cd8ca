import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Action } from '../../../domain/access/policy.ts';
import { createAdvisory, readTeamAdvisory, updateAdvisoryContent } from '../../../services/advisories/drafting.service.ts';
import { publishAdvisoryNow, scheduleAdvisory, unscheduleAdvisory, withdrawAdvisory } from '../../../services/advisories/lifecycle.service.ts';
import { previewAdvisory } from '../../../services/advisories/preview.service.ts';
import { listUnpublished } from '../../../services/advisories/team-view.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { signedIn } from '../../signed-in.ts';
import { slugParams } from '../projects/schema.ts';
import { advisoryParams, createAdvisoryBody, previewBody, scheduleBody, updateAdvisoryBody, withdrawBody } from './schema.ts';

const bearer = [{ bearer: [] }];
const tags = ['advisories'];
const onAdvisory = (action: Action) => ({ action, advisoryParam: 'advisoryId' });
const onProject = (action: Action) => ({ action, projectParam: 'slug' });

/**
 * The team's side of advisories, in any state. Drafting is for triagers and
 * project admins; scheduling, publishing and withdrawing, which make content
 * public, for project admins (src/domain/access/policy.ts).
 */
export const advisoryTeamRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.post('/api/v1/projects/:slug/advisories', { config: { access: onProject('advisory.write') }, schema: { tags, security: bearer, params: slugParams, body: createAdvisoryBody } }, async (request, reply) =>
    reply.status(201).send(await createAdvisory(ctx, signedIn(request.principal), request.params.slug, request.body, requestMeta(request))),
  );

  // The editor's live check: renders unsaved content to OSV, CSAF and CVE and validates each; stores nothing.
  app.post('/api/v1/projects/:slug/advisories/preview', { config: { access: onProject('advisory.write') }, schema: { tags, summary: 'Check and render unsaved advisory content', security: bearer, params: slugParams, body: previewBody } }, async (request) =>
    previewAdvisory(ctx, request.params.slug, request.body),
  );

  app.get('/api/v1/projects/:slug/advisories/drafts', { config: { access: onProject('advisory.read') }, schema: { tags, security: bearer, params: slugParams } }, async (request) => ({
    advisories: await listUnpublished(ctx, request.params.slug),
  }));

  app.get('/api/v1/advisories/:advisoryId', { config: { access: onAdvisory('advisory.read') }, schema: { tags, security: bearer, params: advisoryParams } }, async (request) =>
    readTeamAdvisory(ctx, request.params.advisoryId, { actor: signedIn(request.principal), meta: requestMeta(request) }),
  );

  app.patch('/api/v1/advisories/:advisoryId', { config: { access: onAdvisory('advisory.write') }, schema: { tags, security: bearer, params: advisoryParams, body: updateAdvisoryBody } }, async (request) => {
    const { revisionSummary, ...patch } = request.body;
    return updateAdvisoryContent(ctx, signedIn(request.principal), request.params.advisoryId, patch, revisionSummary, requestMeta(request));
  });

  app.post('/api/v1/advisories/:advisoryId/schedule', { config: { access: onAdvisory('advisory.publish') }, schema: { tags, security: bearer, params: advisoryParams, body: scheduleBody } }, async (request) => {
    const at = request.body?.at;
    return scheduleAdvisory(ctx, signedIn(request.principal), request.params.advisoryId, at === undefined ? undefined : new Date(at), requestMeta(request));
  });

  app.post('/api/v1/advisories/:advisoryId/unschedule', { config: { access: onAdvisory('advisory.publish') }, schema: { tags, security: bearer, params: advisoryParams } }, async (request) =>
    unscheduleAdvisory(ctx, signedIn(request.principal), request.params.advisoryId, requestMeta(request)),
  );

  app.post('/api/v1/advisories/:advisoryId/publish', { config: { access: onAdvisory('advisory.publish') }, schema: { tags, security: bearer, params: advisoryParams } }, async (request) =>
    publishAdvisoryNow(ctx, signedIn(request.principal), request.params.advisoryId, requestMeta(request)),
  );

  app.post('/api/v1/advisories/:advisoryId/withdraw', { config: { access: onAdvisory('advisory.publish') }, schema: { tags, security: bearer, params: advisoryParams, body: withdrawBody } }, async (request) =>
    withdrawAdvisory(ctx, signedIn(request.principal), request.params.advisoryId, request.body.reason, requestMeta(request)),
  );
};
