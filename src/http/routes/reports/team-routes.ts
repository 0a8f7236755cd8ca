import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listReports, markSpam, postTeamMessage, readReport, revokeReporterAccess } from '../../../services/reports/team-reports.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { signedIn } from '../../signed-in.ts';
import { slugParams } from '../projects/schema.ts';
import { withIsoDates } from './presenter.ts';
import { listQuery, reportParams, teamMessageBody } from './schema.ts';

const bearer = [{ bearer: [] }];
const onReport = (action: 'report.read' | 'report.write' | 'report.manageReporterAccess') => ({ action, reportParam: 'reportId' });

/** The team's side of reports: inbox, full report with internal notes, replies, spam, reporter access. */
export const teamReportRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/projects/:slug/reports', { config: { access: { action: 'report.list', projectParam: 'slug' } }, schema: { tags: ['reports'], security: bearer, params: slugParams, querystring: listQuery } }, async (request) => {
    const { before, ...rest } = request.query;
    const reports = await listReports(ctx, signedIn(request.principal), request.params.slug, { ...rest, before: before ? new Date(before) : undefined }, requestMeta(request));
    return { reports: reports.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() })) };
  });

  app.get('/api/v1/reports/:reportId', { config: { access: onReport('report.read') }, schema: { tags: ['reports'], security: bearer, params: reportParams } }, async (request) => {
    const report = await readReport(ctx, signedIn(request.principal), request.params.reportId, requestMeta(request));
    return { ...report, receivedAt: report.receivedAt.toISOString(), messages: withIsoDates(report.messages) };
  });

  app.post('/api/v1/reports/:reportId/messages', { config: { access: onReport('report.write') }, schema: { tags: ['reports'], security: bearer, params: reportParams, body: teamMessageBody, response: { 201: z.object({ id: z.uuid(), createdAt: z.iso.datetime() }) } } }, async (request, reply) => {
    const message = await postTeamMessage(ctx, signedIn(request.principal), request.params.reportId, request.body, requestMeta(request));
    return reply.status(201).send({ id: message.id, createdAt: message.createdAt.toISOString() });
  });

  app.post('/api/v1/reports/:reportId/spam', { config: { access: onReport('report.write') }, schema: { tags: ['reports'], security: bearer, params: reportParams, body: z.object({ spam: z.boolean() }).strict() } }, async (request) =>
    markSpam(ctx, signedIn(request.principal), request.params.reportId, request.body.spam, requestMeta(request)),
  );

  app.post('/api/v1/reports/:reportId/reporter-access/revoke', { config: { access: onReport('report.manageReporterAccess') }, schema: { tags: ['reports'], security: bearer, params: reportParams } }, async (request) =>
    revokeReporterAccess(ctx, signedIn(request.principal), request.params.reportId, requestMeta(request)),
  );
};
