import { generateSecretToken, hashSecretToken } from '../../crypto/secret-token.ts';
import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { User } from '../../storage/schema.ts';
import { insertLoginChallenge, lockOneTimeToken, markOneTimeTokenUsed } from '../../storage/repositories/one-time-token.repository.ts';
import { findUserByEmail, lockUserById, updateUser } from '../../storage/repositories/user.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { hashNewPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './credentials.ts';
import { clearLoginFailures, isLocked, recordLoginFailure } from './login-failures.ts';
import { noticeNewSignIn } from './new-sign-in-notice.ts';
import { verifySecondFactor, type SecondFactor } from './second-factor.ts';
import { completeApiLogin, createApiSession, createBrowserSession, type ApiLogin, type BrowserLogin } from './sessions.service.ts';

export type LoginMode = 'browser' | 'api';
export type LoginResult = BrowserLogin | ApiLogin | { kind: 'mfa_required'; challenge: string; expiresAt: Date };

const CHALLENGE_MINUTES = 5;

/** One message for every failure, so responses never tell whether an account exists or is locked. */
const invalidCredentials = () =>
  new EmbargoError('invalid_credentials', 'the email or password is wrong, or the account is temporarily locked (its owner has been emailed)');

async function startSession(trx: DbOrTrx, ctx: ServiceContext, user: User, mode: LoginMode, meta: RequestMeta) {
  await appendAudit(trx, { actor: { type: 'user', id: user.id }, action: 'auth.login.succeeded', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, details: { mode }, at: ctx.now() });
  await noticeNewSignIn(trx, ctx, user, meta);
  return mode === 'browser' ? createBrowserSession(trx, ctx, user.id, meta) : createApiSession(trx, ctx, user.id, meta);
}

async function finish(ctx: ServiceContext, userId: string, session: Awaited<ReturnType<typeof startSession>>): Promise<BrowserLogin | ApiLogin> {
  return session.kind === 'browser' ? session : completeApiLogin(ctx, userId, session);
}

/** First step: email and password. Accounts with MFA get a short-lived challenge for the second step. */
export async function login(ctx: ServiceContext, input: { email: string; password: string; mode: LoginMode }, meta: RequestMeta): Promise<LoginResult> {
  const now = ctx.now();
  const found = await findUserByEmail(ctx.db, input.email);
  if (!found || found.disabled_at !== null || isLocked(found, now)) {
    await verifyAgainstDummy(input.password, ctx.auth);
    await appendAudit(ctx.db, {
      actor: { type: 'anonymous', label: input.email.toLowerCase().slice(0, 254) },
      action: 'auth.login.failed',
      object: found ? { type: 'user', id: found.id } : undefined,
      outcome: 'failure',
      ...meta,
      details: { reason: !found ? 'unknown_account' : found.disabled_at ? 'disabled' : 'locked' },
      at: now,
    });
    throw invalidCredentials();
  }
  const passwordOk = await verifyPassword(found.password_hash, input.password);
  const rehash = passwordOk && needsRehash(found.password_hash, ctx.auth) ? await hashNewPassword(input.password, ctx.auth) : undefined;

  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const user = await lockUserById(trx, found.id);
    if (!user) return { ok: false as const };
    if (!passwordOk) {
      await recordLoginFailure(trx, ctx, user, 'wrong_password', meta);
      return { ok: false as const };
    }
    await clearLoginFailures(trx, user);
    if (rehash) await updateUser(trx, user.id, { password_hash: rehash });
    if (user.totp_enabled_at !== null) {
      const challenge = generateSecretToken('emb_mfa');
      const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000);
      await insertLoginChallenge(trx, { userId: user.id, tokenHash: hashSecretToken(challenge, ctx.serverSecret), mode: input.mode, expiresAt });
      return { ok: true as const, result: { kind: 'mfa_required' as const, challenge, expiresAt } };
    }
    return { ok: true as const, result: undefined, userId: user.id, session: await startSession(trx, ctx, user, input.mode, meta) };
  });
  if (!outcome.ok) throw invalidCredentials();
  if (outcome.result) return outcome.result;
  return finish(ctx, outcome.userId, outcome.session);
}

/** Second step: the challenge from step one plus a TOTP code or a recovery code. Failures count towards lockout. */
export async function completeMfaLogin(ctx: ServiceContext, input: { challenge: string } & SecondFactor, meta: RequestMeta): Promise<BrowserLogin | ApiLogin> {
  const now = ctx.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const challenge = await lockOneTimeToken(trx, 'login_challenge', hashSecretToken(input.challenge, ctx.serverSecret));
    if (!challenge || challenge.used_at !== null || challenge.expires_at <= now) return { ok: false as const, reason: 'challenge' };
    const user = await lockUserById(trx, challenge.user_id);
    if (!user || user.disabled_at !== null || isLocked(user, now)) return { ok: false as const, reason: 'challenge' };
    if (!(await verifySecondFactor(trx, ctx, user, input))) {
      await recordLoginFailure(trx, ctx, user, 'wrong_second_factor', meta);
      return { ok: false as const, reason: 'code' };
    }
    await markOneTimeTokenUsed(trx, 'login_challenge', challenge.id, now);
    await clearLoginFailures(trx, user);
    if (input.recoveryCode !== undefined) {
      await appendAudit(trx, { actor: { type: 'user', id: user.id }, action: 'auth.mfa.recovery_code_used', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, at: now });
    }
    return { ok: true as const, userId: user.id, session: await startSession(trx, ctx, user, challenge.mode, meta) };
  });
  if (!outcome.ok) {
    throw outcome.reason === 'code'
      ? new EmbargoError('mfa_invalid', 'the code is wrong or was already used')
      : new EmbargoError('session_expired', 'the sign-in has expired; start again with your email and password');
  }
  return finish(ctx, outcome.userId, outcome.session);
}
