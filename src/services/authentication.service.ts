import { hashSecretToken } from '../crypto/secret-token.ts';
import type { Principal } from '../domain/access/principal.ts';
import { findLiveTokenOwner, touchApiToken } from '../storage/repositories/api-token.repository.ts';
import type { ServiceContext } from './context.ts';

/** Resolves a bearer token to a principal, or undefined when it is not a live token. */
export async function principalForBearerToken(ctx: ServiceContext, token: string): Promise<Principal | undefined> {
  const now = ctx.now();
  const owner = await findLiveTokenOwner(ctx.db, hashSecretToken(token, ctx.serverSecret), now);
  if (!owner) return undefined;
  await touchApiToken(ctx.db, owner.tokenId, now);
  return { kind: 'user', userId: owner.user.id, organisationId: owner.user.organisation_id, role: owner.user.role, tokenId: owner.tokenId };
}
