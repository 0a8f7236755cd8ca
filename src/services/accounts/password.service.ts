import { generateSecretToken, hashSecretToken } from '../../crypto/secret-token.ts';
import { EmbargoError } from '../../errors.ts';
import { insertPasswordReset, lockOneTimeToken, markOneTimeTokenUsed } from '../../storage/repositories/one-time-token.repository.ts';
import { revokeUserSessions } from '../../storage/repositories/session.repository.ts';
import { findUserByEmail, lockUserById, updateUser } from '../../storage/repositories/user.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { assertAcceptablePassword, hashNewPassword, passwordContext } from './credentials.ts';
import { reauthenticate, reauthenticationFailed, type Reauthentication } from './reauthentication.ts';
import { verifySecondFactor, type SecondFactor } from './second-factor.ts';

/** Changes the password after re-authentication; optionally ends every other session. */
export async function changePassword(
  ctx: ServiceContext,
  actor: { userId: string; sessionId: string | null },
  input: Reauthentication & { newPassword: string; endOtherSessions: boolean },
  meta: RequestMeta,
): Promise<{ endedSessions: number }> {
  const user = await ctx.db.transaction().execute((trx) => reauthenticate(trx, ctx, actor.userId, input, meta).then((u) => (u ? { email: u.email } : undefined)));
  if (!user) throw reauthenticationFailed();
  assertAcceptablePassword(input.newPassword, ctx.auth, passwordContext(user.email), 'body.newPassword');
  const hash = await hashNewPassword(input.newPassword, ctx.auth);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    await updateUser(trx, actor.userId, { password_hash: hash, password_changed_at: now });
    const endedSessions = input.endOtherSessions ? await revokeUserSessions(trx, actor.userId, now, 'password_changed', actor.sessionId ?? undefined) : 0;
    await appendAudit(trx, { actor: { type: 'user', id: actor.userId }, action: 'auth.password.changed', object: { type: 'user', id: actor.userId }, outcome: 'success', ...meta, details: { endedSessions }, at: now });
    await enqueueEmail(trx, ctx, { to: user.email, subject: 'Your Embargo password was changed', text: `The password of your account at ${ctx.publicUrl} was changed. If this was not you, reset it now and contact your administrator.\n` });
    return { endedSessions };
  });
}

/**
 * Sends a single-use reset link (valid for a short time) if the address
 * belongs to an enabled account. The answer is the same either way, so the
 * endpoint cannot be used to find out who has an account.
 */
export async function requestPasswordReset(ctx: ServiceContext, email: string, meta: RequestMeta): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  const now = ctx.now();
  if (!user || user.disabled_at !== null) {
    await appendAudit(ctx.db, { actor: { type: 'anonymous', label: email.toLowerCase().slice(0, 254) }, action: 'auth.password_reset.requested', outcome: 'failure', ...meta, details: { reason: 'unknown_account' }, at: now });
    return;
  }
  const token = generateSecretToken('emb_reset');
  await ctx.db.transaction().execute(async (trx) => {
    await insertPasswordReset(trx, { userId: user.id, tokenHash: hashSecretToken(token, ctx.serverSecret), expiresAt: new Date(now.getTime() + ctx.auth.passwordResetTtlMinutes * 60_000) });
    await appendAudit(trx, { actor: { type: 'anonymous' }, action: 'auth.password_reset.requested', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, at: now });
    await enqueueEmail(trx, ctx, {
      to: user.email,
      subject: 'Reset your Embargo password',
      text: `Someone asked to reset the password of your account at ${ctx.publicUrl}.\nIf it was you, open this link within ${ctx.auth.passwordResetTtlMinutes} minutes:\n\n${ctx.publicUrl}/reset-password#token=${token}\n\nIf it was not you, ignore this email; your password stays as it is.\n`,
    });
  });
}

/** Sets a new password from a reset link. It does not bypass MFA: an account with MFA must also give a code. All sessions end. */
export async function confirmPasswordReset(ctx: ServiceContext, input: { token: string; newPassword: string } & SecondFactor, meta: RequestMeta): Promise<void> {
  const now = ctx.now();
  const pending = await ctx.db.transaction().execute(async (trx) => {
    const reset = await lockOneTimeToken(trx, 'password_reset', hashSecretToken(input.token, ctx.serverSecret));
    if (!reset || reset.used_at !== null || reset.expires_at <= now) return undefined;
    const user = await lockUserById(trx, reset.user_id);
    return user && user.disabled_at === null ? { user, resetId: reset.id } : undefined;
  });
  if (!pending) throw new EmbargoError('link_invalid', 'the reset link is invalid, used or expired; ask for a new one');
  assertAcceptablePassword(input.newPassword, ctx.auth, passwordContext(pending.user.email), 'body.newPassword');
  const hash = await hashNewPassword(input.newPassword, ctx.auth);
  const ok = await ctx.db.transaction().execute(async (trx) => {
    const reset = await lockOneTimeToken(trx, 'password_reset', hashSecretToken(input.token, ctx.serverSecret));
    const user = await lockUserById(trx, pending.user.id);
    if (!reset || reset.used_at !== null || !user) return 'link' as const;
    if (user.totp_enabled_at !== null && !(await verifySecondFactor(trx, ctx, user, input))) {
      await appendAudit(trx, { actor: { type: 'anonymous' }, action: 'auth.password_reset.failed', object: { type: 'user', id: user.id }, outcome: 'failure', ...meta, details: { reason: 'second_factor' }, at: now });
      return 'mfa' as const;
    }
    await markOneTimeTokenUsed(trx, 'password_reset', reset.id, now);
    await updateUser(trx, user.id, { password_hash: hash, password_changed_at: now, failed_login_count: 0, locked_until: null });
    await revokeUserSessions(trx, user.id, now, 'password_reset');
    await appendAudit(trx, { actor: { type: 'user', id: user.id }, action: 'auth.password_reset.completed', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, at: now });
    await enqueueEmail(trx, ctx, { to: user.email, subject: 'Your Embargo password was reset', text: `The password of your account at ${ctx.publicUrl} was reset and all sessions were ended.\n` });
    return 'ok' as const;
  });
  if (ok === 'link') throw new EmbargoError('link_invalid', 'the reset link is invalid, used or expired; ask for a new one');
  if (ok === 'mfa') throw new EmbargoError('mfa_invalid', 'this account uses MFA: give a current code or a recovery code', [{ path: 'body.code', message: 'is missing or wrong' }]);
}
