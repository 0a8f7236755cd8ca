import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isSchemaCurrent } from '../../../storage/migrate.ts';
import type { RouteOptions } from '../../app.ts';

const status = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.boolean()).optional() });

/**
 * /healthz: the process answers (a liveness probe; it touches nothing else, so
 * a database outage never gets healthy processes restarted). /readyz: it can
 * serve: database reachable, schema current, and the job runner (pg-boss)
 * started, not stopped and not failing — an instance whose jobs are dead
 * should be taken out of rotation and looked at.
 */
export const healthRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { database, jobs }) => {
  app.get('/healthz', { config: { access: 'public' }, schema: { tags: ['operations'], response: { 200: status } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/readyz',
    { config: { access: 'public' }, schema: { tags: ['operations'], response: { 200: status, 503: status } } },
    async (_request, reply) => {
      const checks: Record<string, boolean> = { database: false, migrations: false };
      if (jobs) checks.jobs = jobs.isHealthy();
      try {
        await sql`select 1`.execute(database.db);
        checks.database = true;
        checks.migrations = await isSchemaCurrent(database.db);
      } catch (error) {
        app.log.warn({ err: error }, 'readiness check failed');
      }
      const ready = Object.values(checks).every(Boolean);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
    },
  );
};
