import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Credit } from '../../domain/advisories/model.ts';
import { EmbargoError, isEmbargoError } from '../../errors.ts';
import { insertAdvisoryRevision, listLinkedReports, updateAdvisory } from '../../storage/repositories/advisory.repository.ts';
import { findProjectById } from '../../storage/repositories/project.repository.ts';
import { insertReportMessage } from '../../storage/repositories/report-message.repository.ts';
import type { AdvisoryContent, AdvisoryRow } from '../../storage/schema-advisories.ts';
import type { Report } from '../../storage/schema-reports.ts';
import type { Database } from '../../storage/schema.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEmail, enqueueEvent } from '../outbox.service.ts';
import { reporterRecipient } from '../reports/reporter-mail.ts';
import { sealMessageBody } from '../reports/sealing.ts';
import { applyWorkflowActionInTransaction } from '../triage/workflow.service.ts';
import { actorUserId, advisoryAuditActor, type AdvisoryActor } from './actor.ts';
import { advisoryProjects, toAdvisory } from './advisory-view.ts';
import { checkContent, readContent, type ReporterCredit } from './content.ts';
import { reporterCredits } from './linked-reports.ts';
import { osvProblems } from './osv-check.ts';

export const ADVISORY_PUBLISHED_TOPIC = 'advisory.published';
const disclosable = ['accepted', 'fix_in_progress', 'fixed'];

export function advisoryUrl(publicUrl: string, slug: string, advisoryId: string): string {
  return `${publicUrl}/api/v1/projects/${slug}/advisories/${advisoryId}`;
}

/**
 * What must hold for an advisory to go public, checked at scheduling and
 * again at publication (a reporter may change their credit preference in
 * between): credits still match consent, and the OSV rendering validates.
 * Refusals are `advisory_invalid` (422) with field paths.
 */
export async function checkPublishable(trx: Transaction<Database>, ctx: ServiceContext, row: AdvisoryRow, content: AdvisoryContent): Promise<Report[]> {
  const reports = await listLinkedReports(trx, row.id);
  try {
    checkContent(content, reporterCredits(ctx, reports), 'advisory');
  } catch (error) {
    if (isEmbargoError(error)) throw new EmbargoError('advisory_invalid', 'the advisory cannot be published as it is', error.details);
    throw error;
  }
  const project = (await advisoryProjects(trx, ctx.publicUrl, [row.project_id])).get(row.project_id)!;
  const problems = osvProblems(toAdvisory({ ...row, state: 'published', published_at: ctx.now() }, content, project, []));
  if (problems.length > 0) throw new EmbargoError('advisory_invalid', 'the advisory does not render as valid OSV', problems);
  return reports;
}

/** How the published advisory credits the reporter, in their own terms: they chose it, and this is where they learn whether the team honoured it. */
function creditSentence(preference: ReporterCredit, credits: readonly Credit[]): string {
  if (preference.mode === 'none') return 'As you asked, the advisory does not credit you.';
  if (preference.mode === 'anonymous' || preference.name === null) return 'As you asked, the advisory does not name you.';
  const listed = credits.some((c) => c.type === 'REPORTER' && c.name === preference.name);
  return listed
    ? `It credits you as "${preference.name}".`
    : `You asked to be credited as "${preference.name}", but the advisory does not list that name; reply in the portal if that is a mistake.`;
}

/** Moves a linked report to disclosed (if it is not already past that) and tells its reporter where the advisory is and how it credits them: in the thread, and by mail when they gave an address (the advisory is public now, so the mail may name it). */
async function discloseReport(trx: Transaction<Database>, ctx: ServiceContext, report: Report, content: AdvisoryContent, url: string, advisoryId: string, meta: RequestMeta) {
  if (disclosable.includes(report.state)) await applyWorkflowActionInTransaction(trx, ctx, { kind: 'system' }, report.id, { type: 'disclose' }, meta);
  const [preference] = reporterCredits(ctx, [report]);
  const words = `The advisory ${advisoryId} about your report ${report.human_id} is published: ${url}\n\n${creditSentence(preference!, content.credits)}`;
  const messageId = randomUUID();
  await insertReportMessage(trx, { id: messageId, report_id: report.id, author_type: 'system', author_user_id: null, visibility: 'reporter', body_sealed: sealMessageBody(ctx, messageId, words), created_at: ctx.now() });
  const recipient = reporterRecipient(ctx, report);
  if (recipient) await enqueueEmail(trx, ctx, { to: recipient.email, subject: `Advisory ${advisoryId} is published`, text: `${words}\n\nThank you for reporting it.\n` });
}

/**
 * Publishes a draft or scheduled advisory inside the caller's transaction
 * (the row already locked): content to clear text, revision 1 with its
 * snapshot, linked reports disclosed and their reporters told, an outbox
 * event and an audit entry. All or nothing.
 */
export async function publishInTransaction(trx: Transaction<Database>, ctx: ServiceContext, row: AdvisoryRow, actor: AdvisoryActor, meta: RequestMeta, options: { publishedAt?: Date } = {}): Promise<void> {
  if (row.state !== 'draft' && row.state !== 'scheduled') throw new EmbargoError('illegal_transition', `the advisory is already ${row.state}`);
  const content = readContent(ctx, row);
  const reports = await checkPublishable(trx, ctx, row, content);
  const now = ctx.now();
  const publishedAt = options.publishedAt ?? now;
  await updateAdvisory(trx, row.id, { state: 'published', content_sealed: null, content: JSON.stringify(content), scheduled_at: null, published_at: publishedAt, revision: 1, modified_at: publishedAt });
  await insertAdvisoryRevision(trx, { advisory_id: row.id, number: 1, summary: 'Initial publication', snapshot: JSON.stringify(content), author_id: actorUserId(actor), created_at: publishedAt });
  const project = await findProjectById(trx, row.project_id);
  const url = advisoryUrl(ctx.publicUrl, project!.slug, row.advisory_id);
  for (const report of reports) await discloseReport(trx, ctx, report, content, url, row.advisory_id, meta);
  await enqueueEvent(trx, ctx, ADVISORY_PUBLISHED_TOPIC, { advisoryId: row.advisory_id, projectId: row.project_id, url });
  await appendAudit(trx, { actor: advisoryAuditActor(actor), action: 'advisory.published', object: { type: 'advisory', id: row.id }, outcome: 'success', ...meta, details: { advisoryId: row.advisory_id, reports: reports.map((r) => r.human_id), wasScheduled: row.state === 'scheduled' }, at: now });
}
