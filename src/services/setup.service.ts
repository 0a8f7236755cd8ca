import { generateSecretToken, hashSecretToken } from '../crypto/secret-token.ts';
import { EmbargoError } from '../errors.ts';
import { insertApiToken } from '../storage/repositories/api-token.repository.ts';
import { findOrCreateOrganisation, renameOrganisation } from '../storage/repositories/organisation.repository.ts';
import {
  expireUnusedSetupTokens,
  insertSetupToken,
  lockLiveSetupToken,
  markSetupTokenUsed,
} from '../storage/repositories/setup-token.repository.ts';
import { countUsers, insertUser } from '../storage/repositories/user.repository.ts';
import { scopes } from '../domain/access/scopes.ts';
import { appendAudit } from './audit.service.ts';
import type { RequestMeta } from './context.ts';
import { assertAcceptablePassword, hashNewPassword, passwordContext } from './accounts/credentials.ts';
import type { ServiceContext } from './context.ts';

export const DEFAULT_ORGANISATION_NAME = 'Embargo';

export async function isSetupComplete(ctx: Pick<ServiceContext, 'db'>): Promise<boolean> {
  return (await countUsers(ctx.db)) > 0;
}

/**
 * On a fresh instance, issues a one-time setup token (returned in clear once,
 * stored as a keyed hash) and expires any older one. Returns undefined once an
 * owner exists: there is no default account and no second setup.
 */
export async function issueSetupToken(ctx: ServiceContext): Promise<{ token: string; expiresAt: Date } | undefined> {
  return ctx.db.transaction().execute(async (trx) => {
    if ((await countUsers(trx)) > 0) return undefined;
    const now = ctx.now();
    const token = generateSecretToken('emb_setup');
    const expiresAt = new Date(now.getTime() + ctx.setupTokenTtlMinutes * 60_000);
    await expireUnusedSetupTokens(trx, now);
    await insertSetupToken(trx, { tokenHash: hashSecretToken(token, ctx.serverSecret), expiresAt });
    return { token, expiresAt };
  });
}

export interface SetupInput {
  token: string;
  email: string;
  password: string;
  organisationName?: string | undefined;
}

export interface SetupResult {
  owner: { id: string; email: string; role: 'owner' };
  organisation: { id: string; name: string };
  apiToken: string;
}

/** Creates the first owner and their first API token, consuming the setup token, in one transaction. */
export async function completeSetup(ctx: ServiceContext, input: SetupInput, meta: RequestMeta): Promise<SetupResult> {
  assertAcceptablePassword(input.password, ctx.auth, passwordContext(input.email, input.organisationName ? [input.organisationName] : []));
  // Hash before opening the transaction: argon2 is slow and PGlite has one connection.
  const passwordHash = await hashNewPassword(input.password, ctx.auth);
  const apiToken = generateSecretToken('emb_pat');
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const setupToken = await lockLiveSetupToken(trx, hashSecretToken(input.token, ctx.serverSecret), now);
    if ((await countUsers(trx)) > 0) throw new EmbargoError('setup_already_done', 'Embargo is already set up; sign in instead');
    if (!setupToken) throw new EmbargoError('setup_token_invalid', 'the setup link is invalid, used or expired; restart the server for a new one');
    const organisation = await findOrCreateOrganisation(trx, DEFAULT_ORGANISATION_NAME);
    const name = input.organisationName ?? organisation.name;
    if (name !== organisation.name) await renameOrganisation(trx, organisation.id, name);
    const owner = await insertUser(trx, { organisationId: organisation.id, email: input.email, passwordHash, role: 'owner' });
    await markSetupTokenUsed(trx, setupToken.id, now);
    const token = await insertApiToken(trx, { userId: owner.id, name: 'setup', tokenHash: hashSecretToken(apiToken, ctx.serverSecret), expiresAt: null, scopes, projectId: null });
    await appendAudit(trx, { actor: { type: 'user', id: owner.id }, action: 'setup.completed', object: { type: 'organisation', id: organisation.id }, outcome: 'success', ...meta, details: { apiTokenId: token.id }, at: now });
    return { owner: { id: owner.id, email: owner.email, role: 'owner' }, organisation: { id: organisation.id, name }, apiToken };
  });
}
