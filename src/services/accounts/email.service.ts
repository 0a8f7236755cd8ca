import { EmbargoError } from '../../errors.ts';
import { isUniqueViolation } from '../../storage/errors.ts';
import { findUserByEmail, updateUser } from '../../storage/repositories/user.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { reauthenticate, reauthenticationFailed, type Reauthentication } from './reauthentication.ts';

/**
 * Changes the sign-in address after re-authentication. The old address is
 * told, so a takeover through a stolen session cannot quietly redirect
 * password resets to the attacker.
 */
export async function changeEmail(ctx: ServiceContext, userId: string, input: Reauthentication & { newEmail: string }, meta: RequestMeta): Promise<{ email: string }> {
  const conflict = () => new EmbargoError('conflict', 'this address belongs to another account', [{ path: 'body.newEmail', message: 'is already used' }]);
  try {
    const result = await ctx.db.transaction().execute(async (trx) => {
      const user = await reauthenticate(trx, ctx, userId, input, meta);
      if (!user) return undefined;
      const existing = await findUserByEmail(trx, input.newEmail);
      if (existing && existing.id !== user.id) throw conflict();
      await updateUser(trx, user.id, { email: input.newEmail });
      await appendAudit(trx, { actor: { type: 'user', id: user.id }, action: 'auth.email.changed', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, at: ctx.now() });
      const notice = `The sign-in address of your Embargo account at ${ctx.publicUrl} was changed from ${user.email} to ${input.newEmail}.\nIf this was not you, contact your Embargo administrator now.\n`;
      await enqueueEmail(trx, ctx, { to: user.email, subject: 'Your Embargo sign-in address was changed', text: notice });
      await enqueueEmail(trx, ctx, { to: input.newEmail, subject: 'Your Embargo sign-in address was changed', text: notice });
      return { email: input.newEmail };
    });
    if (!result) throw reauthenticationFailed();
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
