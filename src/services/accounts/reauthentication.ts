import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { User } from '../../storage/schema.ts';
import { lockUserById } from '../../storage/repositories/user.repository.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { verifyPassword } from './credentials.ts';
import { recordLoginFailure } from './login-failures.ts';
import { verifySecondFactor, type SecondFactor } from './second-factor.ts';

export interface Reauthentication extends SecondFactor {
  currentPassword: string;
}

/**
 * Sensitive changes (password, email, MFA) need the current password, and the
 * second factor when one is enrolled, in the same request: a stolen session
 * alone cannot take the account over. Failures count towards lockout.
 * Returns the locked user row, or undefined after recording the failure.
 */
export async function reauthenticate(trx: DbOrTrx, ctx: ServiceContext, userId: string, proof: Reauthentication, meta: RequestMeta): Promise<User | undefined> {
  const user = await lockUserById(trx, userId);
  if (!user) throw new EmbargoError('unauthenticated', 'the account no longer exists');
  const passwordOk = await verifyPassword(user.password_hash, proof.currentPassword);
  const factorOk = passwordOk && (user.totp_enabled_at === null || (await verifySecondFactor(trx, ctx, user, proof)));
  if (factorOk) return user;
  await recordLoginFailure(trx, ctx, user, passwordOk ? 'reauth_wrong_second_factor' : 'reauth_wrong_password', meta);
  return undefined;
}

export const reauthenticationFailed = () =>
  new EmbargoError('reauthentication_failed', 'confirm with your current password (and an MFA code if you use one)', [{ path: 'body.currentPassword', message: 'does not match, or the MFA code is missing or wrong' }]);
