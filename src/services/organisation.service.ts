import type { ApiTokenPrincipal, UserPrincipal } from '../domain/access/principal.ts';
import { EmbargoError } from '../errors.ts';
import { findOrganisation, updateOrganisationSettings } from '../storage/repositories/organisation.repository.ts';
import { auditActor } from './audit-actor.ts';
import { appendAudit } from './audit.service.ts';
import type { RequestMeta, ServiceContext } from './context.ts';

export interface OrganisationView {
  id: string;
  name: string;
  mfaRequiredForAdmins: boolean;
  mfaRequiredForAll: boolean;
}

export async function getOrganisation(ctx: Pick<ServiceContext, 'db'>): Promise<OrganisationView> {
  const organisation = await findOrganisation(ctx.db);
  if (!organisation) throw new EmbargoError('not_found', 'the organisation does not exist yet');
  return { id: organisation.id, name: organisation.name, mfaRequiredForAdmins: organisation.mfa_required_for_admins, mfaRequiredForAll: organisation.mfa_required_for_all };
}

export async function updateOrganisation(
  ctx: ServiceContext,
  actor: UserPrincipal | ApiTokenPrincipal,
  change: { name?: string | undefined; mfaRequiredForAdmins?: boolean | undefined; mfaRequiredForAll?: boolean | undefined },
  meta: RequestMeta,
): Promise<OrganisationView> {
  const before = await getOrganisation(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await updateOrganisationSettings(trx, before.id, {
      name: change.name ?? before.name,
      mfa_required_for_admins: change.mfaRequiredForAdmins ?? before.mfaRequiredForAdmins,
      mfa_required_for_all: change.mfaRequiredForAll ?? before.mfaRequiredForAll,
    });
    await appendAudit(trx, { actor: auditActor(actor), action: 'organisation.updated', object: { type: 'organisation', id: before.id }, outcome: 'success', ...meta, details: { change }, at: ctx.now() });
  });
  return getOrganisation(ctx);
}
