import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeWebhook, createWebhook, listDeliveries, listWebhooks, redeliver, removeWebhook } from '../../../services/webhooks/webhooks.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { signedIn } from '../../signed-in.ts';
import { slugParams } from '../projects/schema.ts';
import { createBody, createdView, deliveriesQuery, deliveryParams, deliveryView, presentDelivery, presentWebhook, updateBody, webhookParams, webhookView } from './schema.ts';

const bearer = [{ bearer: [] }];
const manage = { access: { action: 'project.manageWebhooks' as const, projectParam: 'slug' } };
const tags = ['webhooks'];

/** A project's webhooks, their delivery log and manual redelivery: project admins only. */
export const webhookRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.post(
    '/api/v1/projects/:slug/webhooks',
    { config: manage, schema: { tags, summary: 'Add a webhook (the signing secret is shown once)', security: bearer, params: slugParams, body: createBody, response: { 201: createdView } } },
    async (request, reply) => {
      const { webhook, secret } = await createWebhook(ctx, signedIn(request.principal), request.params.slug, request.body, requestMeta(request));
      return reply.status(201).send({ ...presentWebhook(webhook), secret });
    },
  );

  app.get(
    '/api/v1/projects/:slug/webhooks',
    { config: manage, schema: { tags, summary: "List the project's webhooks", security: bearer, params: slugParams, response: { 200: z.object({ webhooks: z.array(webhookView) }) } } },
    async (request) => ({ webhooks: (await listWebhooks(ctx, request.params.slug)).map(presentWebhook) }),
  );

  app.patch(
    '/api/v1/projects/:slug/webhooks/:webhookId',
    { config: manage, schema: { tags, summary: 'Change, disable or re-enable a webhook', security: bearer, params: webhookParams, body: updateBody, response: { 200: webhookView } } },
    async (request) => presentWebhook(await changeWebhook(ctx, signedIn(request.principal), request.params.slug, request.params.webhookId, request.body, requestMeta(request))),
  );

  app.delete(
    '/api/v1/projects/:slug/webhooks/:webhookId',
    { config: manage, schema: { tags, summary: 'Delete a webhook and its delivery log', security: bearer, params: webhookParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await removeWebhook(ctx, signedIn(request.principal), request.params.slug, request.params.webhookId, requestMeta(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/projects/:slug/webhooks/:webhookId/deliveries',
    { config: manage, schema: { tags, summary: 'The delivery log, newest first', security: bearer, params: webhookParams, querystring: deliveriesQuery, response: { 200: z.object({ deliveries: z.array(deliveryView) }) } } },
    async (request) => ({ deliveries: (await listDeliveries(ctx, request.params.slug, request.params.webhookId, request.query.limit)).map(presentDelivery) }),
  );

  app.post(
    '/api/v1/projects/:slug/webhooks/:webhookId/deliveries/:deliveryId/redeliver',
    { config: manage, schema: { tags, summary: 'Send a delivery again, with the same webhook-id', security: bearer, params: deliveryParams, response: { 202: deliveryView } } },
    async (request, reply) => reply.status(202).send(presentDelivery(await redeliver(ctx, signedIn(request.principal), request.params.slug, request.params.webhookId, request.params.deliveryId, requestMeta(request)))),
  );
};
