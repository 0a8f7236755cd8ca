import { generateSecretToken, hashSecretToken } from '../../crypto/secret-token.ts';
import type { UserPrincipal, ApiTokenPrincipal } from '../../domain/access/principal.ts';
import { EmbargoError } from '../../errors.ts';
import { isUniqueViolation } from '../../storage/errors.ts';
import type { ProjectRole } from '../../storage/schema-accounts.ts';
import type { UserRole } from '../../storage/schema.ts';
import { insertInvitation, listPendingInvitations, lockLiveInvitation, markInvitationAccepted, revokeInvitation } from '../../storage/repositories/invitation.repository.ts';
import { upsertProjectMember } from '../../storage/repositories/project-member.repository.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import { findUserByEmail, insertUser } from '../../storage/repositories/user.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail } from '../outbox.service.ts';
import { assertAcceptablePassword, hashNewPassword, passwordContext } from './credentials.ts';

type Inviter = UserPrincipal | ApiTokenPrincipal;

export interface InvitationInput {
  email: string;
  role: UserRole;
  project?: { slug: string; role: ProjectRole } | undefined;
}

/** Only an owner may create another owner; admins invite admins and members. */
function assertMayGrant(inviter: Inviter, role: UserRole): void {
  if (role === 'owner' && inviter.role !== 'owner') throw new EmbargoError('forbidden', 'only an owner can invite an owner');
}

/** Emails a one-time invitation link (expiring); the token itself is stored only as a keyed hash and never returned. */
export async function inviteUser(ctx: ServiceContext, inviter: Inviter, input: InvitationInput, meta: RequestMeta) {
  assertMayGrant(inviter, input.role);
  const token = generateSecretToken('emb_invite');
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (await findUserByEmail(trx, input.email)) throw new EmbargoError('conflict', 'a user with this email already exists', [{ path: 'body.email', message: 'is already a user' }]);
    const project = input.project ? await findProjectBySlug(trx, input.project.slug) : undefined;
    if (input.project && !project) throw new EmbargoError('not_found', `no project "${input.project.slug}"`, [{ path: 'body.project.slug', message: 'does not exist' }]);
    const invitation = await insertInvitation(trx, {
      organisation_id: inviter.organisationId,
      email: input.email,
      org_role: input.role,
      project_id: project?.id ?? null,
      project_role: input.project?.role ?? null,
      token_hash: hashSecretToken(token, ctx.serverSecret),
      invited_by: inviter.userId,
      expires_at: new Date(now.getTime() + ctx.auth.invitationTtlHours * 3_600_000),
    });
    await appendAudit(trx, { actor: auditActor(inviter), action: 'users.invited', object: { type: 'invitation', id: invitation.id }, outcome: 'success', ...meta, details: { role: input.role, projectRole: input.project?.role ?? null }, at: now });
    await enqueueEmail(trx, ctx, {
      to: input.email,
      subject: 'You are invited to Embargo',
      text: `You have been invited to join the security team on ${ctx.publicUrl}.\nAccept within ${ctx.auth.invitationTtlHours} hours by choosing a password here:\n\n${ctx.publicUrl}/invitation#token=${token}\n\nIf you did not expect this, ignore this email.\n`,
    });
    return { id: invitation.id, email: invitation.email, role: invitation.org_role, expiresAt: invitation.expires_at };
  });
}

/** Creates the account from a live invitation. MFA enrolment, if the role needs it, is enforced at the first sign-in. */
export async function acceptInvitation(ctx: ServiceContext, input: { token: string; password: string; displayName?: string | undefined }, meta: RequestMeta) {
  const now = ctx.now();
  const peek = await lockLiveInvitation(ctx.db, hashSecretToken(input.token, ctx.serverSecret), now);
  if (!peek) throw new EmbargoError('link_invalid', 'the invitation is invalid, used, revoked or expired; ask for a new one');
  assertAcceptablePassword(input.password, ctx.auth, passwordContext(peek.email));
  const passwordHash = await hashNewPassword(input.password, ctx.auth);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const invitation = await lockLiveInvitation(trx, hashSecretToken(input.token, ctx.serverSecret), now);
      if (!invitation) throw new EmbargoError('link_invalid', 'the invitation is invalid, used, revoked or expired; ask for a new one');
      const user = await insertUser(trx, { organisationId: invitation.organisation_id, email: invitation.email, passwordHash, role: invitation.org_role, displayName: input.displayName ?? null });
      if (invitation.project_id && invitation.project_role) await upsertProjectMember(trx, invitation.project_id, user.id, invitation.project_role);
      await markInvitationAccepted(trx, invitation.id, now);
      await appendAudit(trx, { actor: { type: 'user', id: user.id }, action: 'users.invitation_accepted', object: { type: 'invitation', id: invitation.id }, outcome: 'success', ...meta, at: now });
      return { id: user.id, email: user.email, role: user.role };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmbargoError('conflict', 'a user with this email already exists');
    throw error;
  }
}

export async function listInvitations(ctx: ServiceContext, organisationId: string) {
  return (await listPendingInvitations(ctx.db, organisationId, ctx.now())).map((i) => ({ id: i.id, email: i.email, role: i.org_role, expiresAt: i.expires_at }));
}

export async function cancelInvitation(ctx: ServiceContext, actor: Inviter, invitationId: string, meta: RequestMeta): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await revokeInvitation(trx, invitationId, ctx.now()))) throw new EmbargoError('not_found', 'no pending invitation with this id');
    await appendAudit(trx, { actor: auditActor(actor), action: 'users.invitation_revoked', object: { type: 'invitation', id: invitationId }, outcome: 'success', ...meta, at: ctx.now() });
  });
}
