import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Cookies (for browser sessions) and CORS. Cross-origin calls are refused
 * unless the origin is configured; credentials are never allowed cross-origin,
 * so another site can at most use a bearer token it already holds.
 */
export const browserSecurityPlugin = fp(async (app: FastifyInstance, opts: { corsOrigins: string[] }) => {
  await app.register(cookie);
  await app.register(cors, {
    origin: opts.corsOrigins.length > 0 ? opts.corsOrigins : false,
    credentials: false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key'],
    maxAge: 600,
  });
});
