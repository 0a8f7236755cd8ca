import { hashSecretToken } from '../crypto/secret-token.ts';
import type { ApiTokenPrincipal } from '../domain/access/principal.ts';
import { scopes, type Scope } from '../domain/access/scopes.ts';
import { findLiveTokenOwner, touchApiToken } from '../storage/repositories/api-token.repository.ts';
import type { ServiceContext } from './context.ts';

const knownScopes = new Set<string>(scopes);

/** Resolves an API token to its principal, or undefined when it is not a live token. */
export async function principalForApiToken(ctx: ServiceContext, token: string): Promise<ApiTokenPrincipal | undefined> {
  const now = ctx.now();
  const owner = await findLiveTokenOwner(ctx.db, hashSecretToken(token, ctx.serverSecret), now);
  if (!owner) return undefined;
  await touchApiToken(ctx.db, owner.token.id, now);
  return {
    kind: 'api_token',
    tokenId: owner.token.id,
    userId: owner.user.id,
    organisationId: owner.user.organisation_id,
    role: owner.user.role,
    scopes: owner.token.scopes.filter((s): s is Scope => knownScopes.has(s)),
    projectId: owner.token.project_id,
  };
}
