import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptInvitation } from '../../../services/accounts/invitations.service.ts';
import { completeMfaLogin, login, type LoginResult } from '../../../services/accounts/login.service.ts';
import { confirmPasswordReset, requestPasswordReset } from '../../../services/accounts/password.service.ts';
import { endReplacedBrowserSession, refreshApiSession } from '../../../services/accounts/sessions.service.ts';
import type { ServiceContext } from '../../../services/context.ts';
import type { RouteOptions } from '../../app.ts';
import { SESSION_COOKIE } from '../../plugins/access-control.ts';
import { requestMeta } from '../../request-meta.ts';
import { acceptedResponse, acceptInvitationBody, loginBody, loginResponse, mfaLoginBody, refreshBody, resetConfirmBody, resetRequestBody } from './schema.ts';

/** The browser session cookie: __Host- pins it to this origin and path, HttpOnly hides it from scripts. */
async function present(ctx: ServiceContext, result: LoginResult, request: FastifyRequest, reply: FastifyReply) {
  if (result.kind === 'mfa_required') return { kind: result.kind, challenge: result.challenge, expiresAt: result.expiresAt.toISOString() };
  if (result.kind === 'browser') {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous !== undefined) await endReplacedBrowserSession(ctx, previous);
    reply.setCookie(SESSION_COOKIE, result.sessionToken, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
    return { kind: result.kind, csrfToken: result.csrfToken, expiresAt: result.absoluteExpiresAt.toISOString() };
  }
  return { kind: result.kind, accessToken: result.accessToken, refreshToken: result.refreshToken, tokenType: 'Bearer' as const, expiresIn: result.expiresIn };
}

/** Signing in and the public account flows (reset, invitation). Each has a tight per-address rate limit. */
export const authRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx, authRateLimit }) => {
  const limited = { access: 'public' as const, rateLimit: { max: authRateLimit, timeWindow: '1 minute' } };
  const hashing = { ...limited, hashWork: true };

  app.post('/api/v1/auth/login', { config: hashing, schema: { tags: ['auth'], body: loginBody, response: { 200: loginResponse } } }, async (request, reply) =>
    present(ctx, await login(ctx, request.body, requestMeta(request)), request, reply),
  );

  app.post('/api/v1/auth/login/mfa', { config: limited, schema: { tags: ['auth'], body: mfaLoginBody, response: { 200: loginResponse } } }, async (request, reply) =>
    present(ctx, await completeMfaLogin(ctx, request.body, requestMeta(request)), request, reply),
  );

  app.post('/api/v1/auth/refresh', { config: limited, schema: { tags: ['auth'], body: refreshBody, response: { 200: loginResponse } } }, async (request, reply) =>
    present(ctx, await refreshApiSession(ctx, request.body.refreshToken, requestMeta(request)), request, reply),
  );

  app.post('/api/v1/auth/password-reset', { config: limited, schema: { tags: ['auth'], body: resetRequestBody, response: { 202: z.object({ status: z.literal('sent_if_account_exists') }) } } }, async (request, reply) => {
    await requestPasswordReset(ctx, request.body.email, requestMeta(request));
    return reply.status(202).send({ status: 'sent_if_account_exists' as const });
  });

  app.post('/api/v1/auth/password-reset/confirm', { config: hashing, schema: { tags: ['auth'], body: resetConfirmBody, response: { 200: acceptedResponse } } }, async (request) => {
    await confirmPasswordReset(ctx, request.body, requestMeta(request));
    return { status: 'accepted' as const };
  });

  app.post('/api/v1/invitations/accept', { config: hashing, schema: { tags: ['auth'], body: acceptInvitationBody, response: { 201: z.object({ id: z.uuid(), email: z.string(), role: z.string() }) } } }, async (request, reply) =>
    reply.status(201).send(await acceptInvitation(ctx, request.body, requestMeta(request))),
  );
};
