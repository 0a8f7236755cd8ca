import { EmbargoError } from '../../errors.ts';
import { findSessionById, listLiveSessions, revokeSession, revokeUserSessions } from '../../storage/repositories/session.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';

export async function listOwnSessions(ctx: ServiceContext, userId: string, currentSessionId: string | null) {
  return (await listLiveSessions(ctx.db, userId, ctx.now())).map((s) => ({
    id: s.id,
    kind: s.kind,
    current: s.id === currentSessionId,
    createdAt: s.created_at,
    lastSeenAt: s.last_seen_at,
    expiresAt: s.absolute_expires_at,
    ip: s.ip,
    userAgent: s.user_agent,
  }));
}

/** Ends one of the user's own sessions (this one: log out). Takes effect on the very next request. */
export async function endOwnSession(ctx: ServiceContext, userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const session = await findSessionById(trx, sessionId);
    if (!session || session.user_id !== userId || !(await revokeSession(trx, sessionId, ctx.now(), 'logout'))) throw new EmbargoError('not_found', 'no such session');
    await appendAudit(trx, { actor: { type: 'user', id: userId }, action: 'auth.logout', object: { type: 'session', id: sessionId }, outcome: 'success', ...meta, at: ctx.now() });
  });
}

/** "Log out everywhere": every session of the user, this one included. */
export async function endAllOwnSessions(ctx: ServiceContext, userId: string, meta: RequestMeta): Promise<{ endedSessions: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const endedSessions = await revokeUserSessions(trx, userId, ctx.now(), 'logout_everywhere');
    await appendAudit(trx, { actor: { type: 'user', id: userId }, action: 'auth.logout_everywhere', object: { type: 'user', id: userId }, outcome: 'success', ...meta, details: { endedSessions }, at: ctx.now() });
    return { endedSessions };
  });
}
