import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { instanceSecurityTxt, previewPolicyDocuments, projectSecurityMd, projectSecurityTxt } from '../../../services/policy-documents.service.ts';
import type { RouteOptions } from '../../app.ts';
import { renderKey } from '../../render-cache.ts';
import { policyBody, slugParams } from '../projects/schema.ts';

const textPlain = 'text/plain; charset=utf-8';
// Short public caching: a policy change shows within minutes, and crawlers do not hammer the database.
const publicCache = 'public, max-age=300';

/** The published face of a policy: RFC 9116 security.txt and SECURITY.md, rendered from the current policy (reused for a second at most: http/render-cache.ts). */
export const policyDocumentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, publicUrl, signer, renderCache }) => {
  app.get('/.well-known/security.txt', { config: { access: 'public' }, schema: { tags: ['policy documents'] } }, async (request, reply) =>
    reply.type(textPlain).header('cache-control', publicCache).send(await renderCache.remember(renderKey(request), () => instanceSecurityTxt(ctx, publicUrl, signer))),
  );

  app.get(
    '/p/:slug/security.txt',
    { config: { access: 'public' }, schema: { tags: ['policy documents'], params: slugParams } },
    async (request, reply) => reply.type(textPlain).header('cache-control', publicCache).send(await renderCache.remember(renderKey(request), () => projectSecurityTxt(ctx, request.params.slug, publicUrl, signer))),
  );

  app.get(
    '/p/:slug/SECURITY.md',
    { config: { access: 'public' }, schema: { tags: ['policy documents'], params: slugParams } },
    async (request, reply) => reply.type(textPlain).header('cache-control', publicCache).send(await renderCache.remember(renderKey(request), () => projectSecurityMd(ctx, request.params.slug, publicUrl))),
  );

  // The policy editor's live preview: what an unsaved policy would publish, or every problem with its path and line. Stores nothing.
  app.post(
    '/api/v1/projects/:slug/policy/preview',
    {
      config: { access: { action: 'project.updatePolicy', projectParam: 'slug' } },
      schema: {
        tags: ['policy documents'],
        summary: 'Lint an unsaved policy and render its SECURITY.md and security.txt',
        security: [{ bearer: [] }],
        params: slugParams,
        body: policyBody,
        response: { 200: z.object({ securityMd: z.string(), securityTxt: z.string() }) },
      },
    },
    async (request) => previewPolicyDocuments(ctx, request.params.slug, publicUrl, request.body.policy),
  );
};
