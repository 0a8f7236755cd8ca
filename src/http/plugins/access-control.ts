import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isAllowed, type Action } from '../../domain/access/policy.ts';
import { anonymous, type Principal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import { principalForBearerToken } from '../../services/authentication.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import { isSetupComplete } from '../../services/setup.service.ts';

/** Every route declares who may call it; a route that does not is refused at registration. */
export type RouteAccess = 'public' | Action;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

const bearerPattern = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/;

async function authenticate(ctx: ServiceContext, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (header === undefined) return anonymous;
  const match = bearerPattern.exec(header);
  const principal = match?.[1] ? await principalForBearerToken(ctx, match[1]) : undefined;
  // A presented but unusable credential is an error even on public routes, so a client never silently runs unauthenticated.
  if (!principal) throw new EmbargoError('unauthenticated', 'the bearer token is invalid, expired or revoked');
  return principal;
}

/**
 * Authentication and authorization in one hook, before the body is parsed,
 * so an unauthorised caller learns nothing from validation errors.
 * The decision itself is the pure `isAllowed` in src/domain/access/policy.ts.
 */
export const accessControlPlugin = fp(async (app: FastifyInstance, opts: { ctx: ServiceContext }) => {
  // Fastify refuses object defaults on requests (they would be shared); every request sets its own in onRequest.
  app.decorateRequest('principal', null as never);

  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined && !route.url.startsWith('/api/openapi')) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule (config.access)`);
    }
  });

  let setupKnownComplete = false;
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    request.principal = anonymous;
    if (access === undefined) return; // not-found handler and the OpenAPI document
    request.principal = await authenticate(opts.ctx, request);
    if (access === 'public') return;
    if (request.principal.kind === 'anonymous') {
      setupKnownComplete ||= await isSetupComplete(opts.ctx);
      if (!setupKnownComplete) throw new EmbargoError('setup_required', 'Embargo is not set up yet: open the setup URL printed at start');
      throw new EmbargoError('unauthenticated', 'this request needs a bearer token');
    }
    if (!isAllowed(request.principal, access)) throw new EmbargoError('forbidden', 'you are not allowed to do this');
  });
});
