import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit, verifyAudit } from '../../../services/audit.service.ts';
import type { RouteOptions } from '../../app.ts';
import { reportParams } from '../reports/schema.ts';

const MAX_PAGE = 500;
const bearer = [{ bearer: [] }];

const listQuery = z
  .object({
    afterSeq: z.coerce.number().int().min(0).optional(),
    since: z.iso.datetime().optional(),
    until: z.iso.datetime().optional(),
    objectType: z.string().max(100).optional(),
    objectId: z.string().max(100).optional(),
    actorId: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
  })
  .strict();

const entry = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actor_type: z.string(),
  actor_id: z.string().nullable(),
  actor_label: z.string().nullable(),
  action: z.string(),
  object_type: z.string().nullable(),
  object_id: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
});

const reportTrailQuery = z.object({ afterSeq: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100) }).strict();
/** What the project team sees of a report's trail: who did what and when; addresses and user agents stay with the organisation admins. */
const trailEntry = entry.pick({ seq: true, at: true, actor_type: true, actor_id: true, actor_label: true, action: true, outcome: true, details: true });

const verification = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  checkpointsVerified: z.number().int(),
  firstBrokenSeq: z.number().int().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** The audit log for organisation owners and admins: read in chain order (keyset by seq) and verify. */
export const auditRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/audit', { config: { access: 'audit.read' }, schema: { tags: ['audit'], security: bearer, querystring: listQuery, response: { 200: z.object({ entries: z.array(entry), nextAfterSeq: z.number().int().nullable() }) } } }, async (request) => {
    const { since, until, ...rest } = request.query;
    const entries = await listAudit(ctx.db, { ...rest, since: since ? new Date(since) : undefined, until: until ? new Date(until) : undefined });
    return { entries, nextAfterSeq: entries.length === rest.limit ? (entries.at(-1)?.seq ?? null) : null };
  });

  app.get(
    '/api/v1/reports/:reportId/audit',
    { config: { access: { action: 'report.read', reportParam: 'reportId' } }, schema: { tags: ['audit'], summary: "The report's audit trail, oldest first", security: bearer, params: reportParams, querystring: reportTrailQuery, response: { 200: z.object({ entries: z.array(trailEntry), nextAfterSeq: z.number().int().nullable() }) } } },
    async (request) => {
      const { afterSeq, limit } = request.query;
      const entries = await listAudit(ctx.db, { objectType: 'report', objectId: request.params.reportId, afterSeq, limit });
      return { entries, nextAfterSeq: entries.length === limit ? (entries.at(-1)?.seq ?? null) : null };
    },
  );

  app.get('/api/v1/audit/verify', { config: { access: 'audit.read' }, schema: { tags: ['audit'], security: bearer, response: { 200: verification } } }, async () => {
    const result = await verifyAudit(ctx.db, { serverSecret: ctx.serverSecret });
    return result.ok
      ? { ok: true, entries: result.entries, checkpointsVerified: result.checkpointsVerified }
      : { ok: false, entries: result.entries, checkpointsVerified: result.checkpointsVerified, firstBrokenSeq: result.firstBrokenSeq, reason: result.reason, message: result.message };
  });
};
