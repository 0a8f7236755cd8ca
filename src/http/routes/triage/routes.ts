import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { updateAssessment } from '../../../services/triage/assessment.service.ts';
import { getReportClocks } from '../../../services/triage/clocks.service.ts';
import { answerDisclosure, disclosureState, proposeDisclosure } from '../../../services/triage/disclosure.service.ts';
import { convertToPublicIssue, moveReport, similarReports } from '../../../services/triage/report-admin.service.ts';
import { applyWorkflowAction } from '../../../services/triage/workflow.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { reporterOf, signedIn } from '../../signed-in.ts';
import { reportParams } from '../reports/schema.ts';
import { isoDates, presentClocks } from './presenter.ts';
import { answerBody, assessmentBody, moveBody, portalProposalParams, proposalBody, proposalParams, workflowActionBody } from './schema.ts';

const bearer = [{ bearer: [] }];
const onReport = (action: 'report.read' | 'report.write') => ({ action, reportParam: 'reportId' });

const presentDisclosure = (state: Awaited<ReturnType<typeof disclosureState>>) => ({
  agreed: state.agreed ? { at: state.agreed.at.toISOString(), timezone: state.agreed.timezone } : null,
  proposals: state.proposals.map(isoDates),
});

/** Triage: workflow steps, assessment, clocks, and the disclosure date, for the team and (where theirs) the reporter. */
export const triageRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.post('/api/v1/reports/:reportId/actions', { config: { access: onReport('report.write') }, schema: { tags: ['triage'], security: bearer, params: reportParams, body: workflowActionBody } }, async (request) => {
    const result = await applyWorkflowAction(ctx, signedIn(request.principal), request.params.reportId, request.body, requestMeta(request));
    return { ...result, clocks: presentClocks(result.clocks) };
  });

  app.patch('/api/v1/reports/:reportId/assessment', { config: { access: onReport('report.write') }, schema: { tags: ['triage'], security: bearer, params: reportParams, body: assessmentBody } }, async (request) =>
    updateAssessment(ctx, signedIn(request.principal), request.params.reportId, request.body, requestMeta(request)),
  );

  app.get('/api/v1/reports/:reportId/clocks', { config: { access: onReport('report.read') }, schema: { tags: ['triage'], security: bearer, params: reportParams } }, async (request) => {
    const result = await getReportClocks(ctx, request.params.reportId);
    return { state: result.state, clocks: presentClocks(result.clocks), notifications: result.notifications.map(isoDates) };
  });

  app.get('/api/v1/reports/:reportId/disclosure', { config: { access: onReport('report.read') }, schema: { tags: ['triage'], security: bearer, params: reportParams } }, async (request) =>
    presentDisclosure(await disclosureState(ctx, request.params.reportId)),
  );

  app.post('/api/v1/reports/:reportId/disclosure/proposals', { config: { access: onReport('report.write') }, schema: { tags: ['triage'], security: bearer, params: reportParams, body: proposalBody } }, async (request, reply) =>
    reply.status(201).send(await proposeDisclosure(ctx, signedIn(request.principal), request.params.reportId, { ...request.body, discloseAt: new Date(request.body.discloseAt) }, requestMeta(request))),
  );

  app.post('/api/v1/reports/:reportId/disclosure/proposals/:proposalId/answer', { config: { access: onReport('report.write') }, schema: { tags: ['triage'], security: bearer, params: proposalParams, body: answerBody } }, async (request) =>
    answerDisclosure(ctx, signedIn(request.principal), request.params.reportId, request.params.proposalId, request.body.decision, requestMeta(request)),
  );

  app.get('/api/v1/reports/:reportId/similar', { config: { access: onReport('report.read') }, schema: { tags: ['triage'], security: bearer, params: reportParams } }, async (request) => ({
    similar: await similarReports(ctx, request.params.reportId),
  }));

  app.post('/api/v1/reports/:reportId/move', { config: { access: onReport('report.write') }, schema: { tags: ['triage'], security: bearer, params: reportParams, body: moveBody } }, async (request) =>
    moveReport(ctx, signedIn(request.principal), request.params.reportId, request.body.project, requestMeta(request)),
  );

  app.post('/api/v1/reports/:reportId/convert-to-public-issue', { config: { access: onReport('report.write') }, schema: { tags: ['triage'], security: bearer, params: reportParams } }, async (request) =>
    convertToPublicIssue(ctx, signedIn(request.principal), request.params.reportId, requestMeta(request)),
  );

  app.get('/api/v1/portal/disclosure', { config: { access: 'portal.read' }, schema: { tags: ['reporter portal'], security: bearer } }, async (request) =>
    presentDisclosure(await disclosureState(ctx, reporterOf(request.principal).reportId)),
  );

  app.post('/api/v1/portal/disclosure/proposals', { config: { access: 'portal.write' }, schema: { tags: ['reporter portal'], security: bearer, body: proposalBody } }, async (request, reply) => {
    const reporter = reporterOf(request.principal);
    return reply.status(201).send(await proposeDisclosure(ctx, reporter, reporter.reportId, { ...request.body, discloseAt: new Date(request.body.discloseAt) }, requestMeta(request)));
  });

  app.post('/api/v1/portal/disclosure/proposals/:proposalId/answer', { config: { access: 'portal.write' }, schema: { tags: ['reporter portal'], security: bearer, params: portalProposalParams, body: answerBody } }, async (request) => {
    const reporter = reporterOf(request.principal);
    return answerDisclosure(ctx, reporter, reporter.reportId, request.params.proposalId, request.body.decision, requestMeta(request));
  });

  app.post('/api/v1/portal/info-provided', { config: { access: 'portal.write' }, schema: { tags: ['reporter portal'], security: bearer } }, async (request) => {
    const reporter = reporterOf(request.principal);
    const result = await applyWorkflowAction(ctx, reporter, reporter.reportId, { type: 'provide_info' }, requestMeta(request));
    return { state: result.state };
  });
};
