import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { EmbargoError } from '../../../errors.ts';
import { submitReport } from '../../../services/reports/intake.service.ts';
import type { RouteOptions } from '../../app.ts';
import { formBody, registerMultipart, uploadedFiles } from '../../plugins/multipart.ts';
import { requestMeta } from '../../request-meta.ts';
import { INTAKE_BODY_LIMIT, intakeHeaders, intakeParams, receiptResponse, submissionBody } from './schema.ts';

/**
 * Private intake: anyone may report, without an account. Limited per address
 * and per project, and answered 201 only once everything is committed. A
 * retry with the same Idempotency-Key answers 200 with the same receipt.
 */
export const intakeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, intakeLimits }) => {
  await registerMultipart(app, ctx.attachments, INTAKE_BODY_LIMIT);
  const perProject = app.createRateLimit({ max: intakeLimits.perProjectPerMinute, timeWindow: '1 minute', keyGenerator: (request) => `intake:${(request.params as { slug?: string }).slug ?? ''}` });

  app.post(
    '/api/v1/projects/:slug/reports',
    {
      bodyLimit: INTAKE_BODY_LIMIT,
      config: { access: 'public', rateLimit: { max: intakeLimits.perAddressPerMinute, timeWindow: '1 minute' } },
      preValidation: formBody(ctx.attachments, { fields: ['report'], fileField: 'files', multipartOnly: false, toBody: (fields) => reportField(fields.report) }),
      // Before the body is read: a flood must not get as far as buffering its files.
      onRequest: async (request, reply) => {
        const limit = await perProject(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(limit.ttlInSeconds));
          throw new EmbargoError('rate_limited', 'this project is receiving too many reports right now; retry shortly');
        }
      },
      schema: {
        tags: ['reports'],
        summary: 'Report a vulnerability privately (no account needed)',
        description: 'A JSON body, or multipart/form-data with the same JSON as a `report` field and files as `files` parts (limits per file, per report and on the count are set by the operator).',
        params: intakeParams,
        headers: intakeHeaders,
        body: submissionBody,
        response: { 201: receiptResponse, 200: receiptResponse },
      },
    },
    async (request, reply) => {
      const { receipt, replayed } = await submitReport(
        ctx,
        { slug: request.params.slug, submission: request.body, source: 'api', idempotencyKey: request.headers['idempotency-key'], attachments: uploadedFiles(request) },
        requestMeta(request),
      );
      return reply.status(replayed ? 200 : 201).header('cache-control', 'no-store').send(receipt);
    },
  );
};

/** The `report` field of a multipart submission: the JSON object a JSON request sends as its whole body. */
function reportField(value: unknown): unknown {
  if (value === undefined) throw new EmbargoError('validation_failed', 'the form needs a report field', [{ path: 'body.report', message: 'is required' }]);
  // A part sent as application/json arrives already parsed.
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new EmbargoError('validation_failed', 'the report field is not valid JSON', [{ path: 'body.report', message: 'is not valid JSON' }]);
  }
}
