import type { ApiTokenPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import type { UserRole } from '../../storage/schema.ts';
import { revokeUserApiTokens } from '../../storage/repositories/api-token.repository.ts';
import { revokeUserSessions } from '../../storage/repositories/session.repository.ts';
import { countActiveOwners, listUsers, lockUserById, updateUser } from '../../storage/repositories/user.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';

type Admin = UserPrincipal | ApiTokenPrincipal;

export async function listOrganisationUsers(ctx: ServiceContext, organisationId: string) {
  return (await listUsers(ctx.db, organisationId)).map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    role: u.role,
    mfaEnabled: u.totp_enabled_at !== null,
    disabled: u.disabled_at !== null,
    createdAt: u.created_at,
  }));
}

/**
 * Changes a user's role or disables them. Disabling ends their sessions and
 * revokes their API tokens at once. The last enabled owner can be neither
 * demoted nor disabled, and only owners touch owners.
 */
export async function updateOrganisationUser(ctx: ServiceContext, admin: Admin, userId: string, change: { role?: UserRole | undefined; disabled?: boolean | undefined }, meta: RequestMeta) {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const user = await lockUserById(trx, userId);
    if (!user || user.organisation_id !== admin.organisationId) throw new EmbargoError('not_found', 'no such user');
    if ((user.role === 'owner' || change.role === 'owner') && admin.role !== 'owner') throw new EmbargoError('forbidden', 'only an owner can change an owner or make one');
    const losesOwner = user.role === 'owner' && user.disabled_at === null && ((change.role !== undefined && change.role !== 'owner') || change.disabled === true);
    if (losesOwner && (await countActiveOwners(trx, user.organisation_id)) <= 1) throw new EmbargoError('last_owner', 'the organisation must keep at least one enabled owner');
    const disabledAt = change.disabled === undefined ? user.disabled_at : change.disabled ? (user.disabled_at ?? now) : null;
    await updateUser(trx, user.id, { role: change.role ?? user.role, disabled_at: disabledAt });
    if (change.disabled === true) {
      await revokeUserSessions(trx, user.id, now, 'user_disabled');
      await revokeUserApiTokens(trx, user.id, now);
    }
    await appendAudit(trx, { actor: auditActor(admin), action: 'users.updated', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, details: { from: { role: user.role, disabled: user.disabled_at !== null }, to: { role: change.role ?? user.role, disabled: disabledAt !== null } }, at: now });
    return { id: user.id, email: user.email, role: change.role ?? user.role, disabled: disabledAt !== null };
  });
}

/** An administrator ends every session of a user (for example a lost laptop); effective on the next request. */
export async function endUserSessions(ctx: ServiceContext, admin: Admin, userId: string, meta: RequestMeta): Promise<{ endedSessions: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const user = await lockUserById(trx, userId);
    if (!user || user.organisation_id !== admin.organisationId) throw new EmbargoError('not_found', 'no such user');
    const endedSessions = await revokeUserSessions(trx, user.id, ctx.now(), 'ended_by_admin');
    await appendAudit(trx, { actor: auditActor(admin), action: 'auth.sessions.ended_by_admin', object: { type: 'user', id: user.id }, outcome: 'success', ...meta, details: { endedSessions }, at: ctx.now() });
    return { endedSessions };
  });
}
