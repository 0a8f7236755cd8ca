import { generateSecretToken, hashSecretToken } from '../../crypto/secret-token.ts';
import type { ReporterPrincipal } from '../../domain/access/principal.ts';
import { insertReporterToken, findLiveReporterToken, revokeReporterTokens } from '../../storage/repositories/reporter-token.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { REPORTER_TOKEN_PREFIX } from './intake.service.ts';

export async function principalForReporterToken(ctx: ServiceContext, token: string): Promise<ReporterPrincipal | undefined> {
  const found = await findLiveReporterToken(ctx.db, hashSecretToken(token, ctx.serverSecret));
  return found ? { kind: 'reporter', reportId: found.reportId, projectId: found.projectId, tokenId: found.tokenId } : undefined;
}

/** The reporter replaces their token (e.g. after pasting it somewhere unsafe); the old one stops working at once. */
export async function rotateReporterToken(ctx: ServiceContext, reporter: ReporterPrincipal, meta: RequestMeta): Promise<{ followUpToken: string; followUpUrl: string }> {
  const token = generateSecretToken(REPORTER_TOKEN_PREFIX);
  await ctx.db.transaction().execute(async (trx) => {
    await revokeReporterTokens(trx, reporter.reportId, ctx.now(), 'rotated_by_reporter');
    await insertReporterToken(trx, reporter.reportId, hashSecretToken(token, ctx.serverSecret));
    await appendAudit(trx, { actor: { type: 'reporter', id: reporter.reportId }, action: 'report.reporter_token.rotated', object: { type: 'report', id: reporter.reportId }, outcome: 'success', ...meta, at: ctx.now() });
  });
  return { followUpToken: token, followUpUrl: `${ctx.publicUrl}/portal#token=${token}` };
}
