import { openText, seal } from '../../crypto/envelope.ts';
import { generateRecoveryCodes, hashRecoveryCode } from '../../crypto/recovery-codes.ts';
import { generateTotpSecret, totpUri, verifyTotp } from '../../crypto/totp.ts';
import { mfaRequiredFor } from '../../domain/access/policy.ts';
import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import { findOrganisation } from '../../storage/repositories/organisation.repository.ts';
import { replaceRecoveryCodes } from '../../storage/repositories/recovery-code.repository.ts';
import { lockUserById, updateUser } from '../../storage/repositories/user.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { reauthenticate, reauthenticationFailed, type Reauthentication } from './reauthentication.ts';
import { totpSecretAad } from './second-factor.ts';

const ISSUER = 'Embargo';

async function newRecoveryCodes(trx: DbOrTrx, ctx: ServiceContext, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes(10);
  await replaceRecoveryCodes(trx, userId, codes.map((code) => hashRecoveryCode(code, ctx.serverSecret)));
  return codes;
}

/** Step one of enrolment: a new secret, kept pending (encrypted) until a code from the authenticator proves it was scanned. */
export async function beginTotpEnrolment(ctx: ServiceContext, userId: string, proof: Reauthentication, meta: RequestMeta) {
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const user = await reauthenticate(trx, ctx, userId, proof, meta);
    if (!user) return undefined;
    if (user.totp_enabled_at !== null) throw new EmbargoError('conflict', 'MFA is already enabled; disable it first to enrol a new device');
    const secret = generateTotpSecret();
    await updateUser(trx, user.id, { totp_pending_secret: seal(ctx.keyring, secret, totpSecretAad(user.id, 'totp_pending_secret')) });
    return { secret, otpauthUri: totpUri({ secret, issuer: ISSUER, accountName: user.email }) };
  });
  if (!outcome) throw reauthenticationFailed();
  return outcome;
}

/** Step two: a valid code turns the pending secret on and returns ten recovery codes, shown once. */
export async function confirmTotpEnrolment(ctx: ServiceContext, userId: string, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const user = await lockUserById(trx, userId);
    if (!user?.totp_pending_secret) throw new EmbargoError('conflict', 'start MFA enrolment first');
    const secret = openText(ctx.keyring, user.totp_pending_secret, totpSecretAad(user.id, 'totp_pending_secret'));
    const result = verifyTotp({ secret, code, now: ctx.now(), lastUsedStep: null });
    if (!result.ok) throw new EmbargoError('mfa_invalid', 'the code does not match; check the device clock and try the next code', [{ path: 'body.code', message: 'does not match' }]);
    await updateUser(trx, user.id, {
      totp_secret: seal(ctx.keyring, secret, totpSecretAad(user.id, 'totp_secret')),
      totp_pending_secret: null,
      totp_enabled_at: ctx.now(),
      totp_last_step: result.step,
    });
    const recoveryCodes = await newRecoveryCodes(trx, ctx, user.id);
    await appendAudit(trx, { actor: { type: 'user', id: user.id }, action: 'auth.mfa.enabled', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, at: ctx.now() });
    await enqueueEmail(trx, ctx, { to: user.email, subject: 'MFA was turned on for your Embargo account', text: `Two-factor authentication was enabled on your account at ${ctx.publicUrl}. If this was not you, contact your Embargo administrator now.\n` });
    return { recoveryCodes };
  });
}

export async function disableTotp(ctx: ServiceContext, userId: string, proof: Reauthentication, meta: RequestMeta): Promise<void> {
  const ok = await ctx.db.transaction().execute(async (trx) => {
    const user = await reauthenticate(trx, ctx, userId, proof, meta);
    if (!user) return false;
    const organisation = await findOrganisation(trx);
    if (organisation && mfaRequiredFor(user.role, { mfaRequiredForAdmins: organisation.mfa_required_for_admins, mfaRequiredForAll: organisation.mfa_required_for_all })) {
      throw new EmbargoError('forbidden', 'your organisation requires MFA for your role; it cannot be turned off');
    }
    await updateUser(trx, user.id, { totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null });
    await replaceRecoveryCodes(trx, user.id, []);
    await appendAudit(trx, { actor: { type: 'user', id: user.id }, action: 'auth.mfa.disabled', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, at: ctx.now() });
    await enqueueEmail(trx, ctx, { to: user.email, subject: 'MFA was turned off for your Embargo account', text: `Two-factor authentication was disabled on your account at ${ctx.publicUrl}. If this was not you, contact your Embargo administrator now.\n` });
    return true;
  });
  if (!ok) throw reauthenticationFailed();
}

export async function regenerateRecoveryCodes(ctx: ServiceContext, userId: string, proof: Reauthentication, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  const codes = await ctx.db.transaction().execute(async (trx) => {
    const user = await reauthenticate(trx, ctx, userId, proof, meta);
    if (!user) return undefined;
    if (user.totp_enabled_at === null) throw new EmbargoError('conflict', 'MFA is not enabled');
    await appendAudit(trx, { actor: { type: 'user', id: user.id }, action: 'auth.mfa.recovery_codes_regenerated', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, at: ctx.now() });
    return newRecoveryCodes(trx, ctx, user.id);
  });
  if (!codes) throw reauthenticationFailed();
  return { recoveryCodes: codes };
}
