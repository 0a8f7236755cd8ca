import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isSchemaCurrent } from '../../../storage/migrate.ts';
import type { RouteOptions } from '../../app.ts';

const status = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.boolean()).optional() });

/** /healthz: the process answers. /readyz: it can serve (database reachable, schema current). */
export const healthRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { database }) => {
  app.get('/healthz', { config: { access: 'public' }, schema: { tags: ['operations'], response: { 200: status } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/readyz',
    { config: { access: 'public' }, schema: { tags: ['operations'], response: { 200: status, 503: status } } },
    async (_request, reply) => {
      const checks = { database: false, migrations: false };
      try {
        await sql`select 1`.execute(database.db);
        checks.database = true;
        checks.migrations = await isSchemaCurrent(database.db);
      } catch (error) {
        app.log.warn({ err: error }, 'readiness check failed');
      }
      const ready = checks.database && checks.migrations;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
    },
  );
};
