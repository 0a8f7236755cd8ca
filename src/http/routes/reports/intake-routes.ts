import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EmbargoError } from '../../../errors.ts';
import { submitReport } from '../../../services/reports/intake.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { INTAKE_BODY_LIMIT, intakeHeaders, intakeParams, receiptResponse, submissionBody } from './schema.ts';

/**
 * Private intake: anyone may report, without an account. Limited per address
 * and per project, and answered 201 only once everything is committed. A
 * retry with the same Idempotency-Key answers 200 with the same receipt.
 */
export const intakeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, intakeLimits }) => {
  const perProject = app.createRateLimit({ max: intakeLimits.perProjectPerMinute, timeWindow: '1 minute', keyGenerator: (request) => `intake:${(request.params as { slug?: string }).slug ?? ''}` });

  app.post(
    '/api/v1/projects/:slug/reports',
    {
      bodyLimit: INTAKE_BODY_LIMIT,
      config: { access: 'public', rateLimit: { max: intakeLimits.perAddressPerMinute, timeWindow: '1 minute' } },
      preHandler: async (request, reply) => {
        const limit = await perProject(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(limit.ttlInSeconds));
          throw new EmbargoError('rate_limited', 'this project is receiving too many reports right now; retry shortly');
        }
      },
      schema: {
        tags: ['reports'],
        summary: 'Report a vulnerability privately (no account needed)',
        params: intakeParams,
        headers: intakeHeaders,
        body: submissionBody,
        response: { 201: receiptResponse, 200: receiptResponse },
      },
    },
    async (request, reply) => {
      const { receipt, replayed } = await submitReport(
        ctx,
        { slug: request.params.slug, submission: request.body, source: 'api', idempotencyKey: request.headers['idempotency-key'] },
        requestMeta(request),
      );
      return reply.status(replayed ? 200 : 201).header('cache-control', 'no-store').send(receipt);
    },
  );
};
