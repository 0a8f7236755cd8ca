import { openText } from '../../crypto/envelope.ts';
import { hashRecoveryCode } from '../../crypto/recovery-codes.ts';
import { verifyTotp } from '../../crypto/totp.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { User } from '../../storage/schema.ts';
import { useRecoveryCode } from '../../storage/repositories/recovery-code.repository.ts';
import { updateUser } from '../../storage/repositories/user.repository.ts';
import type { ServiceContext } from '../context.ts';

export const totpSecretAad = (userId: string, column: 'totp_secret' | 'totp_pending_secret') => ({ table: 'app_user', column, rowId: userId });

export interface SecondFactor {
  code?: string | undefined;
  recoveryCode?: string | undefined;
}

/**
 * Checks a TOTP code (refusing one already used: the last accepted time step
 * is stored) or consumes a single-use recovery code. The user row must be
 * locked by the caller so two requests cannot both spend the same code.
 */
export async function verifySecondFactor(trx: DbOrTrx, ctx: ServiceContext, user: User, factor: SecondFactor): Promise<boolean> {
  if (user.totp_secret === null) return false;
  if (factor.code !== undefined) {
    const secret = openText(ctx.keyring, user.totp_secret, totpSecretAad(user.id, 'totp_secret'));
    const result = verifyTotp({ secret, code: factor.code, now: ctx.now(), lastUsedStep: user.totp_last_step === null ? null : Number(user.totp_last_step) });
    if (!result.ok) return false;
    await updateUser(trx, user.id, { totp_last_step: result.step });
    return true;
  }
  if (factor.recoveryCode !== undefined) return useRecoveryCode(trx, user.id, hashRecoveryCode(factor.recoveryCode, ctx.serverSecret), ctx.now());
  return false;
}
