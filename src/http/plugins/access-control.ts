import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { digestsEqual, hashSecretToken } from '../../crypto/secret-token.ts';
import { decide, type AccessContext, type Action } from '../../domain/access/policy.ts';
import { anonymous, type Principal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import { principalForApiToken } from '../../services/authentication.service.ts';
import { principalForAccessToken, principalForSessionCookie } from '../../services/accounts/sessions.service.ts';
import { auditActor } from '../../services/audit-actor.ts';
import { appendAudit } from '../../services/audit.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import { API_TOKEN_PREFIX } from '../../services/accounts/api-tokens.service.ts';
import { isSetupComplete } from '../../services/setup.service.ts';
import { findAdvisory } from '../../storage/repositories/advisory.repository.ts';
import { findProjectRole } from '../../storage/repositories/project-member.repository.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import { findReportById } from '../../storage/repositories/report.repository.ts';
import { REPORTER_TOKEN_PREFIX } from '../../services/reports/intake.service.ts';
import { principalForReporterToken } from '../../services/reports/reporter-access.service.ts';
import { requestMeta } from '../request-meta.ts';
import { advisoryIdSchema } from '../routes/advisories/schema.ts';
import { slugParams } from '../routes/projects/schema.ts';

/** Every route declares who may call it; a route that does not is refused at registration. */
export type RouteAccess = 'public' | Action | { action: Action; projectParam: string } | { action: Action; reportParam: string } | { action: Action; advisoryParam: string };

export interface RegisteredRouteAccess {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every registered route with its access rule: the authorization matrix test walks this list. */
    routeAccess: RegisteredRouteAccess[];
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

export const SESSION_COOKIE = '__Host-embargo_session';
export const CSRF_HEADER = 'x-csrf-token';

const bearerPattern = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

async function bearerPrincipal(ctx: ServiceContext, token: string): Promise<Principal | undefined> {
  if (token.startsWith(`${API_TOKEN_PREFIX}_`)) return principalForApiToken(ctx, token);
  if (token.startsWith(`${REPORTER_TOKEN_PREFIX}_`)) return principalForReporterToken(ctx, token);
  return principalForAccessToken(ctx, token);
}

/**
 * A bearer token wins over a cookie. A presented but unusable bearer token is
 * an error even on public routes, so a client never silently runs
 * unauthenticated. Cookies only count on non-public routes, where a stale one
 * is refused.
 */
async function authenticate(ctx: ServiceContext, request: FastifyRequest, isPublic: boolean): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = bearerPattern.exec(header);
    const principal = match?.[1] ? await bearerPrincipal(ctx, match[1]) : undefined;
    if (principal) return principal;
    await appendAudit(ctx.db, { actor: { type: 'anonymous' }, action: 'auth.bearer.rejected', outcome: 'failure', ...requestMeta(request), details: { route: request.routeOptions.url }, at: ctx.now() });
    throw new EmbargoError('unauthenticated', 'the bearer token is invalid, expired or revoked');
  }
  // Public routes act on no one's authority, so a session cookie is not even looked at there.
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie === undefined || isPublic) return anonymous;
  const resolved = await principalForSessionCookie(ctx, cookie);
  if (!resolved) throw new EmbargoError('session_expired', 'the session has ended; sign in again');
  // Synchronizer token: a cross-site form can send the cookie but cannot read the CSRF token to echo it.
  if (!safeMethods.has(request.method)) {
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || !digestsEqual(hashSecretToken(presented, ctx.serverSecret), resolved.csrfTokenHash)) {
      throw new EmbargoError('csrf_failed', `state-changing requests with a session cookie need the ${CSRF_HEADER} header from sign-in`);
    }
  }
  return resolved.principal;
}

async function roleIn(ctx: ServiceContext, principal: Principal, projectId: string) {
  const userId = principal.kind === 'user' || principal.kind === 'api_token' ? principal.userId : null;
  return userId ? findProjectRole(ctx.db, projectId, userId) : null;
}

/** The object a route names, and the principal's role in its project (a report's or advisory's project, for their routes). */
async function objectContext(ctx: ServiceContext, principal: Principal, access: Exclude<RouteAccess, 'public' | Action>, params: Record<string, string | undefined>): Promise<AccessContext> {
  if ('projectParam' in access) {
    const slug = params[access.projectParam] ?? '';
    // Checked before the lookup: a malformed value (a NUL byte, which PostgreSQL refuses in text) is simply no project.
    const project = slugParams.shape.slug.safeParse(slug).success ? await findProjectBySlug(ctx.db, slug) : undefined;
    if (!project) throw new EmbargoError('not_found', `no project "${slug}"`);
    return { projectId: project.id, projectRole: await roleIn(ctx, principal, project.id) };
  }
  if ('advisoryParam' in access) {
    const advisoryId = params[access.advisoryParam] ?? '';
    const advisory = advisoryIdSchema.safeParse(advisoryId).success ? await findAdvisory(ctx.db, advisoryId) : undefined;
    return advisory ? { projectId: advisory.project_id, projectRole: await roleIn(ctx, principal, advisory.project_id) } : { projectId: undefined, projectRole: null };
  }
  const reportId = params[access.reportParam] ?? '';
  const report = /^[0-9a-f-]{36}$/.test(reportId) ? await findReportById(ctx.db, reportId) : undefined;
  if (!report) return { reportId, projectId: undefined, projectRole: null };
  return { reportId, projectId: report.project_id, projectRole: await roleIn(ctx, principal, report.project_id) };
}

/**
 * Authentication and authorization in one hook, before the body is parsed,
 * so an unauthorised caller learns nothing from validation errors. The
 * decision itself is the pure `decide` in src/domain/access/policy.ts.
 */
export const accessControlPlugin = fp(async (app: FastifyInstance, opts: { ctx: ServiceContext }) => {
  const { ctx } = opts;
  // Fastify refuses object defaults on requests (they would be shared); every request sets its own below.
  app.decorateRequest('principal', null as never);

  const registered: RegisteredRouteAccess[] = [];
  app.decorate('routeAccess', registered);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined) {
      if (route.url.startsWith('/api/openapi')) return;
      throw new Error(`route ${route.method} ${route.url} declares no access rule (config.access)`);
    }
    for (const method of [route.method].flat()) registered.push({ method, url: route.url, access });
  });

  let setupKnownComplete = false;
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    request.principal = anonymous;
    if (access === undefined) return; // not-found handler and the OpenAPI document
    request.principal = await authenticate(ctx, request, access === 'public');
    if (access === 'public') return;

    const action = typeof access === 'string' ? access : access.action;
    if (request.principal.kind === 'anonymous') {
      setupKnownComplete ||= await isSetupComplete(ctx);
      if (!setupKnownComplete) throw new EmbargoError('setup_required', 'Embargo is not set up yet: open the setup URL printed at start');
      throw new EmbargoError('unauthenticated', 'this request needs you to sign in or present a bearer token');
    }
    const context = typeof access === 'string' ? {} : await objectContext(ctx, request.principal, access, request.params as Record<string, string | undefined>);
    if (context.projectId === undefined && typeof access !== 'string') throw new EmbargoError('not_found', 'advisoryParam' in access ? 'no such advisory' : 'no such report');
    const decision = decide(request.principal, action, context);
    if (decision.allowed) return;
    await appendAudit(ctx.db, {
      actor: auditActor(request.principal),
      action: 'authz.denied',
      object: context.projectId ? { type: 'project', id: context.projectId } : undefined,
      outcome: 'denied',
      ...requestMeta(request),
      details: { route: `${request.method} ${request.routeOptions.url}`, action, reason: decision.reason },
      at: ctx.now(),
    });
    if (decision.reason === 'mfa_enrolment_required') throw new EmbargoError('mfa_enrolment_required', 'your role requires MFA: enrol an authenticator first (POST /api/v1/account/mfa/totp)');
    throw new EmbargoError('forbidden', 'you are not allowed to do this');
  });
});
