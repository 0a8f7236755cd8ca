import { afterSuccess, nextLockout } from '../../domain/accounts/lockout.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { User } from '../../storage/schema.ts';
import { updateUser } from '../../storage/repositories/user.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';

/**
 * Counts a failed password or MFA code against the account. Crossing the
 * threshold locks it for a growing time and tells its owner by email, so an
 * attack on an account is noticed by the person it targets.
 */
export async function recordLoginFailure(trx: DbOrTrx, ctx: ServiceContext, user: User, reason: string, meta: RequestMeta): Promise<void> {
  const now = ctx.now();
  const next = nextLockout({
    failedCount: user.failed_login_count + 1,
    lockoutLevel: user.lockout_level,
    now,
    threshold: ctx.auth.lockoutThreshold,
    baseSeconds: ctx.auth.lockoutBaseSeconds,
    maxSeconds: ctx.auth.lockoutMaxSeconds,
  });
  await updateUser(trx, user.id, { failed_login_count: next.failedCount, lockout_level: next.lockoutLevel, locked_until: next.lockedUntil });
  await appendAudit(trx, { actor: { type: 'anonymous' }, action: 'auth.login.failed', object: { type: 'user', id: user.id }, outcome: 'failure', ...meta, details: { reason }, at: now });
  if (next.lockedUntil !== null) {
    await appendAudit(trx, { actor: { type: 'system' }, action: 'auth.lockout', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, details: { until: next.lockedUntil.toISOString() }, at: now });
    await enqueueEmail(trx, ctx, {
      to: user.email,
      subject: 'Your Embargo account was locked after failed sign-ins',
      text: `There were ${ctx.auth.lockoutThreshold} failed attempts to sign in to your Embargo account (${ctx.publicUrl}), the last from ${meta.ip ?? 'an unknown address'}.\nThe account is locked until ${next.lockedUntil.toISOString()}.\nIf this was not you, someone may know or be guessing your password: change it once you can sign in again.\n`,
    });
  }
}

export async function clearLoginFailures(trx: DbOrTrx, user: User): Promise<void> {
  if (user.failed_login_count === 0 && user.lockout_level === 0 && user.locked_until === null) return;
  const reset = afterSuccess();
  await updateUser(trx, user.id, { failed_login_count: reset.failedCount, lockout_level: reset.lockoutLevel, locked_until: reset.lockedUntil });
}

export function isLocked(user: User, now: Date): boolean {
  return user.locked_until !== null && user.locked_until > now;
}
