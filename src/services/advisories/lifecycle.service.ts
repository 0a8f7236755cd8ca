import { EmbargoError, isEmbargoError } from '../../errors.ts';
import { insertAdvisoryRevision, listDueAdvisoryIds, listLinkedReports, lockAdvisory, updateAdvisory } from '../../storage/repositories/advisory.repository.ts';
import { appendAudit } from '../audit.service.ts';
import { systemMeta, type RequestMeta, type ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { actorUserId, advisoryAuditActor, type AdvisoryActor } from './actor.ts';
import { readContent, storedContent } from './content.ts';
import { lockedAdvisory, readTeamAdvisory } from './drafting.service.ts';
import { checkPublishable, publishInTransaction } from './publication.ts';

export const ADVISORY_WITHDRAWN_TOPIC = 'advisory.withdrawn';
export const ADVISORY_SCHEDULED_TOPIC = 'advisory.scheduled';
export const ADVISORY_PUBLICATION_FAILED_TOPIC = 'advisory.publication_failed';

/**
 * Schedules publication at `at`, by default the earliest agreed disclosure
 * date of the linked reports. The advisory must be publishable now (consent,
 * valid OSV), so a problem shows at scheduling rather than at the deadline.
 * The job in src/jobs/job-runner.ts publishes it when the time comes.
 */
export async function scheduleAdvisory(ctx: ServiceContext, actor: AdvisoryActor, advisoryId: string, at: Date | undefined, meta: RequestMeta) {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockedAdvisory(trx, advisoryId);
    if (row.state !== 'draft' && row.state !== 'scheduled') throw new EmbargoError('illegal_transition', `the advisory is already ${row.state}`);
    const agreed = (await listLinkedReports(trx, row.id)).map((r) => r.disclosure_at).filter((d): d is Date => d !== null);
    const when = at ?? agreed.sort((a, b) => a.getTime() - b.getTime())[0];
    if (!when) throw new EmbargoError('validation_failed', 'no disclosure date is agreed for the linked reports: give a time', [{ path: 'body.at', message: 'is required' }]);
    const now = ctx.now();
    if (when <= now) throw new EmbargoError('validation_failed', 'the publication time must be in the future (publish now instead)', [{ path: 'body.at', message: 'is not in the future' }]);
    await checkPublishable(trx, ctx, row, readContent(ctx, row));
    await updateAdvisory(trx, row.id, { state: 'scheduled', scheduled_at: when, modified_at: now });
    await enqueueEvent(trx, ctx, ADVISORY_SCHEDULED_TOPIC, { advisoryId, projectId: row.project_id, at: when.toISOString() });
    await appendAudit(trx, { actor: advisoryAuditActor(actor), action: 'advisory.scheduled', object: { type: 'advisory', id: row.id }, outcome: 'success', ...meta, details: { advisoryId, at: when.toISOString() }, at: now });
  });
  return readTeamAdvisory(ctx, advisoryId);
}

export async function unscheduleAdvisory(ctx: ServiceContext, actor: AdvisoryActor, advisoryId: string, meta: RequestMeta) {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockedAdvisory(trx, advisoryId);
    if (row.state !== 'scheduled') throw new EmbargoError('illegal_transition', `the advisory is ${row.state}, not scheduled`);
    const now = ctx.now();
    await updateAdvisory(trx, row.id, { state: 'draft', scheduled_at: null, modified_at: now });
    await appendAudit(trx, { actor: advisoryAuditActor(actor), action: 'advisory.unscheduled', object: { type: 'advisory', id: row.id }, outcome: 'success', ...meta, details: { advisoryId }, at: now });
  });
  return readTeamAdvisory(ctx, advisoryId);
}

export async function publishAdvisoryNow(ctx: ServiceContext, actor: AdvisoryActor, advisoryId: string, meta: RequestMeta) {
  await ctx.db.transaction().execute(async (trx) => publishInTransaction(trx, ctx, await lockedAdvisory(trx, advisoryId), actor, meta));
  return readTeamAdvisory(ctx, advisoryId);
}

/** Withdraws a published advisory: it stays public, marked withdrawn with the reason, as a new revision. */
export async function withdrawAdvisory(ctx: ServiceContext, actor: AdvisoryActor, advisoryId: string, reason: string, meta: RequestMeta) {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockedAdvisory(trx, advisoryId);
    if (row.state !== 'published') throw new EmbargoError('illegal_transition', row.state === 'withdrawn' ? 'the advisory is already withdrawn' : 'only a published advisory can be withdrawn');
    const now = ctx.now();
    const revision = row.revision + 1;
    const content = readContent(ctx, row);
    await updateAdvisory(trx, row.id, { state: 'withdrawn', ...storedContent(ctx, row.id, 'withdrawn', content), withdrawn_at: now, withdrawn_reason: reason, revision, modified_at: now });
    await insertAdvisoryRevision(trx, { advisory_id: row.id, number: revision, summary: `Withdrawn: ${reason}`, snapshot: JSON.stringify(content), author_id: actorUserId(actor), created_at: now });
    await enqueueEvent(trx, ctx, ADVISORY_WITHDRAWN_TOPIC, { advisoryId, projectId: row.project_id });
    await appendAudit(trx, { actor: advisoryAuditActor(actor), action: 'advisory.withdrawn', object: { type: 'advisory', id: row.id }, outcome: 'success', ...meta, details: { advisoryId, revision }, at: now });
  });
  return readTeamAdvisory(ctx, advisoryId);
}

/**
 * The publication job: every scheduled advisory whose time has come, each in
 * its own transaction under its row lock, published only if it is still
 * scheduled and due. A second run, a concurrent instance or a rerun after a
 * crash finds it published and does nothing: exactly once. An advisory that
 * can no longer be published (a reporter withdrew consent) goes back to
 * draft, audited, with an event for the team, instead of failing every minute.
 */
export async function publishDueAdvisories(ctx: ServiceContext): Promise<{ published: string[]; failed: string[] }> {
  const published: string[] = [];
  const failed: string[] = [];
  const actor: AdvisoryActor = { kind: 'system', label: 'job' };
  for (const advisoryId of await listDueAdvisoryIds(ctx.db, ctx.now())) {
    try {
      const done = await ctx.db.transaction().execute(async (trx) => {
        const row = await lockAdvisory(trx, advisoryId);
        if (!row || row.state !== 'scheduled' || row.scheduled_at === null || row.scheduled_at > ctx.now()) return false;
        await publishInTransaction(trx, ctx, row, actor, systemMeta);
        return true;
      });
      if (done) published.push(advisoryId);
    } catch (error) {
      if (!isEmbargoError(error)) throw error;
      await returnToDraft(ctx, advisoryId, error);
      failed.push(advisoryId);
    }
  }
  return { published, failed };
}

async function returnToDraft(ctx: ServiceContext, advisoryId: string, error: EmbargoError) {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockAdvisory(trx, advisoryId);
    if (!row || row.state !== 'scheduled') return;
    const now = ctx.now();
    await updateAdvisory(trx, row.id, { state: 'draft', scheduled_at: null, modified_at: now });
    await enqueueEvent(trx, ctx, ADVISORY_PUBLICATION_FAILED_TOPIC, { advisoryId, projectId: row.project_id, code: error.code, details: error.details });
    await appendAudit(trx, { actor: { type: 'system', label: 'job' }, action: 'advisory.publication_failed', object: { type: 'advisory', id: row.id }, outcome: 'failure', details: { advisoryId, code: error.code, details: error.details }, at: now });
  });
}
