import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { postReporterMessage, readOwnReport, updateOwnCredit } from '../../../services/reports/portal.service.ts';
import { rotateReporterToken } from '../../../services/reports/reporter-access.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { reporterOf } from '../../signed-in.ts';
import { withIsoDates } from './presenter.ts';
import { creditBody, messageBody } from './schema.ts';

const reporterAuth = [{ bearer: [] }];

/**
 * The reporter portal. The follow-up token (Authorization: Bearer emb_rep_…)
 * names the report, so no route takes a report id: there is nothing to guess.
 */
export const portalRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/portal/report', { config: { access: 'portal.read' }, schema: { tags: ['reporter portal'], security: reporterAuth } }, async (request) => {
    const report = await readOwnReport(ctx, reporterOf(request.principal));
    return { ...report, receivedAt: report.receivedAt.toISOString(), messages: withIsoDates(report.messages) };
  });

  app.post('/api/v1/portal/messages', { config: { access: 'portal.write' }, schema: { tags: ['reporter portal'], security: reporterAuth, body: messageBody, response: { 201: z.object({ id: z.uuid(), createdAt: z.iso.datetime() }) } } }, async (request, reply) => {
    const message = await postReporterMessage(ctx, reporterOf(request.principal), request.body.body, requestMeta(request));
    return reply.status(201).send({ id: message.id, createdAt: message.createdAt.toISOString() });
  });

  app.put('/api/v1/portal/credit', { config: { access: 'portal.write' }, schema: { tags: ['reporter portal'], security: reporterAuth, body: creditBody, response: { 200: z.object({ mode: z.string(), name: z.string().nullable() }) } } }, async (request) =>
    updateOwnCredit(ctx, reporterOf(request.principal), request.body, requestMeta(request)),
  );

  app.post('/api/v1/portal/token/rotate', { config: { access: 'portal.write' }, schema: { tags: ['reporter portal'], security: reporterAuth, response: { 200: z.object({ followUpToken: z.string(), followUpUrl: z.string() }) } } }, async (request, reply) =>
    reply.header('cache-control', 'no-store').send(await rotateReporterToken(ctx, reporterOf(request.principal), requestMeta(request))),
  );
};
