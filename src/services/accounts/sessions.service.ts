import { generateSecretToken, hashSecretToken } from '../../crypto/secret-token.ts';
import { mfaRequiredFor } from '../../domain/access/policy.ts';
import type { UserPrincipal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { AuthSession } from '../../storage/schema-accounts.ts';
import { insertRefreshToken, lockOneTimeToken, markOneTimeTokenUsed } from '../../storage/repositories/one-time-token.repository.ts';
import { findSessionById, findSessionByTokenHash, insertSession, revokeSession, touchSession } from '../../storage/repositories/session.repository.ts';
import { findEnabledUserWithMfaSettings } from '../../storage/repositories/user.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { issueAccessToken, verifyIssuedAccessToken } from './signing-keys.service.ts';

const MINUTE = 60_000;
/** Sliding idle expiry is written at most this often, so reads do not all become writes. */
const TOUCH_INTERVAL_MS = MINUTE;

export interface BrowserLogin {
  kind: 'browser';
  sessionId: string;
  sessionToken: string;
  csrfToken: string;
  absoluteExpiresAt: Date;
}

export interface ApiLogin {
  kind: 'api';
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

function truncate(value: string | null, max: number): string | null {
  return value === null ? null : value.slice(0, max);
}

/**
 * A fresh session id at every login (never reuse one from before
 * authentication: session fixation). Only keyed hashes of the cookie value and
 * the CSRF token are stored.
 */
export async function createBrowserSession(trx: DbOrTrx, ctx: ServiceContext, userId: string, meta: RequestMeta): Promise<BrowserLogin> {
  const now = ctx.now();
  const sessionToken = generateSecretToken('emb_sess');
  const csrfToken = generateSecretToken('emb_csrf');
  const absoluteExpiresAt = new Date(now.getTime() + ctx.auth.sessionAbsoluteHours * 60 * MINUTE);
  const session = await insertSession(trx, {
    user_id: userId,
    kind: 'browser',
    token_hash: hashSecretToken(sessionToken, ctx.serverSecret),
    csrf_token_hash: hashSecretToken(csrfToken, ctx.serverSecret),
    idle_expires_at: new Date(Math.min(now.getTime() + ctx.auth.sessionIdleMinutes * MINUTE, absoluteExpiresAt.getTime())),
    absolute_expires_at: absoluteExpiresAt,
    ip: meta.ip,
    user_agent: truncate(meta.userAgent, 500),
  });
  return { kind: 'browser', sessionId: session.id, sessionToken, csrfToken, absoluteExpiresAt };
}

/** An API login: a session that is a refresh-token family, plus a short-lived access JWT naming it. */
export async function createApiSession(trx: DbOrTrx, ctx: ServiceContext, userId: string, meta: RequestMeta): Promise<Omit<ApiLogin, 'accessToken' | 'expiresIn'>> {
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.auth.apiSessionDays * 24 * 60 * MINUTE);
  const session = await insertSession(trx, {
    user_id: userId,
    kind: 'api',
    token_hash: null,
    csrf_token_hash: null,
    idle_expires_at: expiresAt,
    absolute_expires_at: expiresAt,
    ip: meta.ip,
    user_agent: truncate(meta.userAgent, 500),
  });
  const refreshToken = generateSecretToken('emb_rt');
  await insertRefreshToken(trx, { sessionId: session.id, tokenHash: hashSecretToken(refreshToken, ctx.serverSecret), expiresAt });
  return { kind: 'api', sessionId: session.id, refreshToken };
}

export async function completeApiLogin(ctx: ServiceContext, userId: string, login: Omit<ApiLogin, 'accessToken' | 'expiresIn'>): Promise<ApiLogin> {
  const access = await issueAccessToken(ctx, userId, login.sessionId);
  return { ...login, accessToken: access.token, expiresIn: access.expiresIn };
}

function sessionIsLive(session: AuthSession, now: Date): boolean {
  return session.revoked_at === null && session.idle_expires_at > now && session.absolute_expires_at > now;
}

async function principalFor(ctx: ServiceContext, session: AuthSession, via: 'session' | 'jwt'): Promise<UserPrincipal | undefined> {
  const user = await findEnabledUserWithMfaSettings(ctx.db, session.user_id);
  if (!user) return undefined;
  const required = mfaRequiredFor(user.role, { mfaRequiredForAdmins: user.mfa_required_for_admins, mfaRequiredForAll: user.mfa_required_for_all });
  return {
    kind: 'user',
    userId: user.id,
    organisationId: user.organisation_id,
    role: user.role,
    via,
    sessionId: session.id,
    mfaCompliant: !required || user.totp_enabled_at !== null,
  };
}

/** Resolves a session cookie; extends the idle expiry (never past the absolute one). */
export async function principalForSessionCookie(ctx: ServiceContext, sessionToken: string): Promise<{ principal: UserPrincipal; csrfTokenHash: string } | undefined> {
  const now = ctx.now();
  const session = await findSessionByTokenHash(ctx.db, hashSecretToken(sessionToken, ctx.serverSecret));
  if (!session || session.kind !== 'browser' || !sessionIsLive(session, now)) return undefined;
  const principal = await principalFor(ctx, session, 'session');
  if (!principal || session.csrf_token_hash === null) return undefined;
  if (now.getTime() - session.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    const idle = Math.min(now.getTime() + ctx.auth.sessionIdleMinutes * MINUTE, session.absolute_expires_at.getTime());
    await touchSession(ctx.db, session.id, now, new Date(idle));
  }
  return { principal, csrfTokenHash: session.csrf_token_hash };
}

/** Resolves an access JWT. Revocation is checked on every request, not only expiry: the session row must still be live. */
export async function principalForAccessToken(ctx: ServiceContext, token: string): Promise<UserPrincipal | undefined> {
  let claims: { subject: string; sessionId: string };
  try {
    claims = await verifyIssuedAccessToken(ctx, token);
  } catch {
    return undefined;
  }
  const session = await findSessionById(ctx.db, claims.sessionId);
  if (!session || session.kind !== 'api' || session.user_id !== claims.subject || !sessionIsLive(session, ctx.now())) return undefined;
  return principalFor(ctx, session, 'jwt');
}

/**
 * Rotates a refresh token. A token presented a second time means it was
 * copied: the whole family (the session) is revoked, so both the thief and the
 * legitimate client must log in again.
 */
export async function refreshApiSession(ctx: ServiceContext, refreshToken: string, meta: RequestMeta): Promise<ApiLogin> {
  const now = ctx.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const row = await lockOneTimeToken(trx, 'refresh_token', hashSecretToken(refreshToken, ctx.serverSecret));
    const session = row ? await findSessionById(trx, row.session_id) : undefined;
    if (!row || !session) return { ok: false as const };
    if (row.used_at !== null) {
      await revokeSession(trx, session.id, now, 'refresh_token_reuse');
      await appendAudit(trx, { actor: { type: 'user', id: session.user_id }, action: 'auth.refresh.reuse_detected', object: { type: 'session', id: session.id }, outcome: 'denied', ...meta, at: now });
      return { ok: false as const };
    }
    if (row.expires_at <= now || !sessionIsLive(session, now)) return { ok: false as const };
    await markOneTimeTokenUsed(trx, 'refresh_token', row.id, now);
    const next = generateSecretToken('emb_rt');
    await insertRefreshToken(trx, { sessionId: session.id, tokenHash: hashSecretToken(next, ctx.serverSecret), expiresAt: session.absolute_expires_at });
    return { ok: true as const, session, refreshToken: next };
  });
  if (!outcome.ok) throw new EmbargoError('session_expired', 'the refresh token is invalid, expired or revoked; log in again');
  if (!(await findEnabledUserWithMfaSettings(ctx.db, outcome.session.user_id))) throw new EmbargoError('session_expired', 'the account is disabled');
  return completeApiLogin(ctx, outcome.session.user_id, { kind: 'api', sessionId: outcome.session.id, refreshToken: outcome.refreshToken });
}

/** Ends the session behind a cookie the browser still sent when signing in again: one browser, one live session. */
export async function endReplacedBrowserSession(ctx: ServiceContext, sessionToken: string): Promise<void> {
  const session = await findSessionByTokenHash(ctx.db, hashSecretToken(sessionToken, ctx.serverSecret));
  if (session && session.revoked_at === null) await revokeSession(ctx.db, session.id, ctx.now(), 'replaced_by_new_login');
}
