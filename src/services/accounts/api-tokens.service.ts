import { generateSecretToken, hashSecretToken } from '../../crypto/secret-token.ts';
import type { Scope } from '../../domain/access/scopes.ts';
import { EmbargoError } from '../../errors.ts';
import { insertApiToken, listApiTokens, revokeApiToken } from '../../storage/repositories/api-token.repository.ts';
import { findProjectBySlug } from '../../storage/repositories/project.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';

export const API_TOKEN_PREFIX = 'emb_pat';

/** Creates a named, scoped token for automation. The secret is returned once; only its keyed hash is kept. */
export async function createApiToken(
  ctx: ServiceContext,
  userId: string,
  input: { name: string; scopes: Scope[]; projectSlug?: string | undefined; expiresAt?: Date | undefined },
  meta: RequestMeta,
) {
  const now = ctx.now();
  if (input.expiresAt && input.expiresAt <= now) throw new EmbargoError('validation_failed', 'the expiry must be in the future', [{ path: 'body.expiresAt', message: 'is in the past' }]);
  const secret = generateSecretToken(API_TOKEN_PREFIX);
  return ctx.db.transaction().execute(async (trx) => {
    const project = input.projectSlug ? await findProjectBySlug(trx, input.projectSlug) : undefined;
    if (input.projectSlug && !project) throw new EmbargoError('not_found', `no project "${input.projectSlug}"`, [{ path: 'body.projectSlug', message: 'does not exist' }]);
    const token = await insertApiToken(trx, { userId, name: input.name, tokenHash: hashSecretToken(secret, ctx.serverSecret), expiresAt: input.expiresAt ?? null, scopes: input.scopes, projectId: project?.id ?? null });
    await appendAudit(trx, { actor: { type: 'user', id: userId }, action: 'auth.api_token.created', object: { type: 'api_token', id: token.id }, outcome: 'success', ...meta, details: { scopes: input.scopes, project: input.projectSlug ?? null }, at: now });
    return { id: token.id, name: token.name, scopes: input.scopes, projectSlug: input.projectSlug ?? null, expiresAt: token.expires_at, token: secret };
  });
}

export async function listUserApiTokens(ctx: ServiceContext, userId: string) {
  return (await listApiTokens(ctx.db, userId)).map((t) => ({ id: t.id, name: t.name, scopes: t.scopes, projectId: t.project_id, createdAt: t.created_at, expiresAt: t.expires_at, lastUsedAt: t.last_used_at }));
}

export async function revokeUserApiToken(ctx: ServiceContext, userId: string, tokenId: string, meta: RequestMeta): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await revokeApiToken(trx, userId, tokenId, ctx.now()))) throw new EmbargoError('not_found', 'no such token');
    await appendAudit(trx, { actor: { type: 'user', id: userId }, action: 'auth.api_token.revoked', object: { type: 'api_token', id: tokenId }, outcome: 'success', ...meta, at: ctx.now() });
  });
}
