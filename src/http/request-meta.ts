import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from '../services/context.ts';

/** Where a request came from, for the audit log; the user agent is truncated so a huge header cannot bloat the log. */
export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 500) : null };
}
