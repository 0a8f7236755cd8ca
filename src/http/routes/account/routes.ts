import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mfaRequiredFor } from '../../../domain/access/policy.ts';
import type { ApiTokenPrincipal, UserPrincipal } from '../../../domain/access/principal.ts';
import { EmbargoError } from '../../../errors.ts';
import { createApiToken, listUserApiTokens, revokeUserApiToken } from '../../../services/accounts/api-tokens.service.ts';
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, regenerateRecoveryCodes } from '../../../services/accounts/mfa.service.ts';
import { endAllOwnSessions, endOwnSession, listOwnSessions } from '../../../services/accounts/own-sessions.service.ts';
import { changeEmail } from '../../../services/accounts/email.service.ts';
import { changePassword } from '../../../services/accounts/password.service.ts';
import { getOrganisation } from '../../../services/organisation.service.ts';
import { findUserById } from '../../../storage/repositories/user.repository.ts';
import type { RouteOptions } from '../../app.ts';
import { SESSION_COOKIE } from '../../plugins/access-control.ts';
import { requestMeta } from '../../request-meta.ts';
import { signedIn } from '../../signed-in.ts';
import { iso, isoOrNull } from '../presenters.ts';
import { changeEmailBody, changePasswordBody, confirmTotpBody, createdToken, createTokenBody, idParams, meResponse, proofBody, sessionList, tokenList } from './schema.ts';

const bearer = [{ bearer: [] }];

/** Logging out clears the cookie and asks the browser to drop anything it kept for this origin. */
function clearBrowserState(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
  reply.header('clear-site-data', '"cache", "cookies", "storage"');
}

function sessionOf(principal: UserPrincipal | ApiTokenPrincipal): string | null {
  return principal.kind === 'user' ? principal.sessionId : null;
}

/** The signed-in user's own account: profile, sessions, password, MFA, API tokens. */
export const accountRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ctx }) => {
  app.get('/api/v1/me', { config: { access: 'account.read' }, schema: { tags: ['account'], security: bearer, response: { 200: meResponse } } }, async (request) => {
    const principal = signedIn(request.principal);
    const user = await findUserById(ctx.db, principal.userId);
    if (!user) throw new EmbargoError('unauthenticated', 'the account no longer exists');
    const organisation = await getOrganisation(ctx);
    return {
      id: user.id,
      email: user.email,
      displayName: user.display_name,
      role: user.role,
      mfaEnabled: user.totp_enabled_at !== null,
      mfaRequired: mfaRequiredFor(user.role, organisation),
      via: principal.kind === 'api_token' ? ('api_token' as const) : principal.via,
    };
  });

  app.get('/api/v1/account/sessions', { config: { access: 'account.read' }, schema: { tags: ['account'], security: bearer, response: { 200: sessionList } } }, async (request) => {
    const principal = signedIn(request.principal);
    const sessions = await listOwnSessions(ctx, principal.userId, sessionOf(principal));
    return { sessions: sessions.map((s) => ({ ...s, createdAt: iso(s.createdAt), lastSeenAt: iso(s.lastSeenAt), expiresAt: iso(s.expiresAt) })) };
  });

  app.delete('/api/v1/account/sessions/:id', { config: { access: 'account.logout' }, schema: { tags: ['account'], security: bearer, params: idParams } }, async (request, reply) => {
    await endOwnSession(ctx, signedIn(request.principal).userId, request.params.id, requestMeta(request));
    return reply.status(204).send();
  });

  app.post('/api/v1/auth/logout', { config: { access: 'account.logout' }, schema: { tags: ['auth'], security: bearer } }, async (request, reply) => {
    const principal = signedIn(request.principal);
    const sessionId = sessionOf(principal);
    if (sessionId) await endOwnSession(ctx, principal.userId, sessionId, requestMeta(request));
    clearBrowserState(reply);
    return reply.status(204).send();
  });

  app.post('/api/v1/auth/logout-everywhere', { config: { access: 'account.logout' }, schema: { tags: ['auth'], security: bearer, response: { 200: z.object({ endedSessions: z.number().int() }) } } }, async (request, reply) => {
    const result = await endAllOwnSessions(ctx, signedIn(request.principal).userId, requestMeta(request));
    clearBrowserState(reply);
    return result;
  });

  app.post('/api/v1/account/password', { config: { access: 'account.manage', hashWork: true }, schema: { tags: ['account'], security: bearer, body: changePasswordBody, response: { 200: z.object({ endedSessions: z.number().int() }) } } }, async (request) => {
    const principal = signedIn(request.principal);
    return changePassword(ctx, { userId: principal.userId, sessionId: sessionOf(principal) }, request.body, requestMeta(request));
  });

  app.post('/api/v1/account/email', { config: { access: 'account.manage', hashWork: true }, schema: { tags: ['account'], security: bearer, body: changeEmailBody, response: { 200: z.object({ email: z.string() }) } } }, async (request) =>
    changeEmail(ctx, signedIn(request.principal).userId, request.body, requestMeta(request)),
  );

  app.post('/api/v1/account/mfa/totp', { config: { access: 'account.enrolMfa', hashWork: true }, schema: { tags: ['account'], security: bearer, body: proofBody, response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }) } } }, async (request) =>
    beginTotpEnrolment(ctx, signedIn(request.principal).userId, request.body, requestMeta(request)),
  );

  app.post('/api/v1/account/mfa/totp/confirm', { config: { access: 'account.enrolMfa' }, schema: { tags: ['account'], security: bearer, body: confirmTotpBody, response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } } }, async (request) =>
    confirmTotpEnrolment(ctx, signedIn(request.principal).userId, request.body.code, requestMeta(request)),
  );

  app.post('/api/v1/account/mfa/totp/disable', { config: { access: 'account.manage', hashWork: true }, schema: { tags: ['account'], security: bearer, body: proofBody } }, async (request, reply) => {
    await disableTotp(ctx, signedIn(request.principal).userId, request.body, requestMeta(request));
    return reply.status(204).send();
  });

  app.post('/api/v1/account/mfa/recovery-codes', { config: { access: 'account.manage', hashWork: true }, schema: { tags: ['account'], security: bearer, body: proofBody, response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } } }, async (request) =>
    regenerateRecoveryCodes(ctx, signedIn(request.principal).userId, request.body, requestMeta(request)),
  );

  app.get('/api/v1/account/tokens', { config: { access: 'account.manage' }, schema: { tags: ['account'], security: bearer, response: { 200: tokenList } } }, async (request) => ({
    tokens: (await listUserApiTokens(ctx, signedIn(request.principal).userId)).map((t) => ({ ...t, createdAt: iso(t.createdAt), expiresAt: isoOrNull(t.expiresAt), lastUsedAt: isoOrNull(t.lastUsedAt) })),
  }));

  app.post('/api/v1/account/tokens', { config: { access: 'account.manage' }, schema: { tags: ['account'], security: bearer, body: createTokenBody, response: { 201: createdToken } } }, async (request, reply) => {
    const { expiresAt, ...rest } = request.body;
    const created = await createApiToken(ctx, signedIn(request.principal).userId, { ...rest, expiresAt: expiresAt ? new Date(expiresAt) : undefined }, requestMeta(request));
    return reply.status(201).send({ ...created, expiresAt: isoOrNull(created.expiresAt) });
  });

  app.delete('/api/v1/account/tokens/:id', { config: { access: 'account.manage' }, schema: { tags: ['account'], security: bearer, params: idParams } }, async (request, reply) => {
    await revokeUserApiToken(ctx, signedIn(request.principal).userId, request.params.id, requestMeta(request));
    return reply.status(204).send();
  });
};
