import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createProject, getPolicyHistory, getProject, listAllProjects, updateProjectPolicy } from '../../../services/project.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { presentProject } from './presenter.ts';
import { policyBody, projectListResponse, projectResponse, revisionListResponse, slugParams } from './schema.ts';

const bearer = [{ bearer: [] }];

/** Projects and their policies. A policy is a public document (it is what SECURITY.md says), so reading is public. */
export const projectRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, publicUrl }) => {
  app.get('/api/v1/projects', { config: { access: 'public' }, schema: { tags: ['projects'], response: { 200: projectListResponse } } }, async () => ({
    projects: await listAllProjects(ctx),
  }));

  app.post(
    '/api/v1/projects',
    {
      config: { access: 'project.create' },
      schema: { tags: ['projects'], summary: 'Create a project from its policy', security: bearer, body: policyBody, response: { 201: projectResponse } },
    },
    async (request, reply) => {
      const project = await createProject(ctx, { policyYaml: request.body.policy, author: { principal: request.principal, meta: requestMeta(request) } });
      return reply.status(201).send(presentProject(project, publicUrl));
    },
  );

  app.get(
    '/api/v1/projects/:slug',
    { config: { access: 'public' }, schema: { tags: ['projects'], params: slugParams, response: { 200: projectResponse } } },
    async (request) => presentProject(await getProject(ctx, request.params.slug), publicUrl),
  );

  app.put(
    '/api/v1/projects/:slug/policy',
    {
      config: { access: { action: 'project.updatePolicy', projectParam: 'slug' } },
      schema: { tags: ['projects'], summary: 'Replace the policy (adds a revision)', security: bearer, params: slugParams, body: policyBody, response: { 200: projectResponse } },
    },
    async (request) => {
      const project = await updateProjectPolicy(ctx, { slug: request.params.slug, policyYaml: request.body.policy, author: { principal: request.principal, meta: requestMeta(request) } });
      return presentProject(project, publicUrl);
    },
  );

  app.get(
    '/api/v1/projects/:slug/policy.yaml',
    { config: { access: 'public' }, schema: { tags: ['projects'], summary: 'Export the policy file', params: slugParams } },
    async (request, reply) => {
      const project = await getProject(ctx, request.params.slug);
      return reply.type('application/yaml; charset=utf-8').send(project.policyYaml);
    },
  );

  app.get(
    '/api/v1/projects/:slug/policy/revisions',
    { config: { access: { action: 'project.readHistory', projectParam: 'slug' } }, schema: { tags: ['projects'], security: bearer, params: slugParams, response: { 200: revisionListResponse } } },
    async (request) => ({
      revisions: (await getPolicyHistory(ctx, request.params.slug)).map((r) => ({
        revision: r.revision,
        createdAt: r.created_at.toISOString(),
        createdBy: r.created_by,
      })),
    }),
  );
};
