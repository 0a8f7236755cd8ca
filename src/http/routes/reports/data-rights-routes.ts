import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eraseReporterData, exportReporterData } from '../../../services/reports/data-rights.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { reporterOf, signedIn } from '../../signed-in.ts';
import { auditActor } from '../../../services/audit-actor.ts';
import { reportParams } from './schema.ts';

const bearer = [{ bearer: [] }];
const onReport = { action: 'report.manageReporterData', reportParam: 'reportId' } as const;
/** Erasure cannot be undone: the body must say so, so a stray or replayed empty POST erases nothing. */
const erasureBody = z.object({ confirm: z.literal(true) }).strict();

/**
 * A reporter's data rights: export of everything held about them and erasure of what identifies
 * them, by the reporter (follow-up token; erasure also ends that token) or by a project admin
 * acting on a request made another way.
 */
export const dataRightsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/portal/data', { config: { access: 'portal.read' }, schema: { tags: ['reporter portal'], summary: 'Everything held about you, as JSON', security: bearer } }, async (request) =>
    exportReporterData(ctx, reporterOf(request.principal).reportId, { kind: 'reporter' }, requestMeta(request)),
  );

  app.post('/api/v1/portal/data/erase', { config: { access: 'portal.write' }, schema: { tags: ['reporter portal'], summary: 'Erase your contact details and credit name; your follow-up link stops working', security: bearer, body: erasureBody } }, async (request) =>
    eraseReporterData(ctx, reporterOf(request.principal).reportId, { kind: 'reporter' }, requestMeta(request)),
  );

  app.get('/api/v1/reports/:reportId/reporter-data', { config: { access: onReport }, schema: { tags: ['reports'], summary: "Export the reporter's personal data (on their request)", security: bearer, params: reportParams } }, async (request) =>
    exportReporterData(ctx, request.params.reportId, { kind: 'team', actor: auditActor(signedIn(request.principal)) }, requestMeta(request)),
  );

  app.post('/api/v1/reports/:reportId/reporter-data/erase', { config: { access: onReport }, schema: { tags: ['reports'], summary: "Erase the reporter's personal data (on their request)", security: bearer, params: reportParams, body: erasureBody } }, async (request) =>
    eraseReporterData(ctx, request.params.reportId, { kind: 'team', actor: auditActor(signedIn(request.principal)) }, requestMeta(request)),
  );
};
