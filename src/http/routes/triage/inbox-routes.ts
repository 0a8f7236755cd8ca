import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reportStates } from '../../../domain/workflow/transitions.ts';
import { listInbox } from '../../../services/triage/inbox.service.ts';
import type { RouteOptions } from '../../app.ts';
import { requestMeta } from '../../request-meta.ts';
import { signedIn } from '../../signed-in.ts';

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z.string().max(200).transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)).pipe(z.array(z.enum(values)).max(values.length));

const inboxQuery = z
  .object({
    project: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/).optional(),
    state: list(reportStates).optional(),
    severity: list(['none', 'low', 'medium', 'high', 'critical']).optional(),
    clockStatus: list(['breached', 'due_soon', 'on_track', 'paused', 'none']).optional(),
    assignee: z.union([z.literal('me'), z.uuid()]).optional(),
    label: z.string().min(1).max(40).optional(),
    q: z.string().min(2).max(100).optional(),
    includeClosed: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    includeSpam: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    sort: z.enum(['due', 'newest', 'oldest']).default('due'),
    cursor: z.string().max(300).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** `GET /api/v1/reports`: the inbox across every project the caller can see. */
export const inboxRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/reports', { config: { access: 'report.inbox' }, schema: { tags: ['triage'], security: [{ bearer: [] }], querystring: inboxQuery } }, async (request) => {
    const member = signedIn(request.principal);
    const { assignee, state, severity, clockStatus, q, ...rest } = request.query;
    return listInbox(ctx, member, { ...rest, states: state, severities: severity, clockStatuses: clockStatus, text: q, assigneeId: assignee === 'me' ? member.userId : assignee }, requestMeta(request));
  });
};
