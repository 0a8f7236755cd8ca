import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EmbargoError } from '../../../errors.ts';
import { findUserById } from '../../../storage/repositories/user.repository.ts';
import type { RouteOptions } from '../../app.ts';

const meResponse = z.object({ id: z.uuid(), email: z.string(), role: z.enum(['owner', 'admin', 'member']) });

export const accountRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get(
    '/api/v1/me',
    { config: { access: 'account.readSelf' }, schema: { tags: ['account'], security: [{ bearer: [] }], response: { 200: meResponse } } },
    async (request) => {
      const principal = request.principal;
      const user = principal.kind === 'user' ? await findUserById(ctx.db, principal.userId) : undefined;
      if (!user) throw new EmbargoError('unauthenticated', 'the account no longer exists');
      return { id: user.id, email: user.email, role: user.role };
    },
  );
};
