import { randomUUID } from 'node:crypto';
import { openText, seal } from '../../crypto/envelope.ts';
import type { ApiTokenPrincipal, ReporterPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import type { Policy } from '../../domain/policy/schema.ts';
import { durationInHours } from '../../domain/policy/targets.ts';
import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { DisclosureProposal } from '../../storage/schema-triage.ts';
import { insertDisclosureProposal, listDisclosureProposals, setProposalStatus, supersedeOpenProposals } from '../../storage/repositories/disclosure.repository.ts';
import { insertReportEvent } from '../../storage/repositories/report-event.repository.ts';
import { insertReportMessage } from '../../storage/repositories/report-message.repository.ts';
import { findPolicyAtRevision } from '../../storage/repositories/project.repository.ts';
import { findReportById, lockReportById, updateReport } from '../../storage/repositories/report.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { sealMessageBody } from '../reports/sealing.ts';
import { refreshDueSummary } from './report-clocks.ts';

export const DISCLOSURE_AGREED_TOPIC = 'disclosure.agreed';
export const DISCLOSURE_PROPOSED_TOPIC = 'disclosure.proposed';
type Party = UserPrincipal | ApiTokenPrincipal | ReporterPrincipal;
const side = (party: Party) => (party.kind === 'reporter' ? ('reporter' as const) : ('team' as const));
const reasonAad = (id: string) => ({ table: 'disclosure_proposal', column: 'reason_sealed', rowId: id });

async function lockOwnReport(db: DbOrTrx, party: Party, reportId: string) {
  const report = await lockReportById(db, reportId);
  if (!report || (party.kind === 'reporter' && party.reportId !== reportId)) throw new EmbargoError('not_found', 'no such report');
  if (report.state === 'closed' || report.state === 'disclosed') throw new EmbargoError('illegal_transition', `the report is ${report.state}; its disclosure date can no longer change`);
  return report;
}

async function note(db: DbOrTrx, ctx: ServiceContext, reportId: string, text: string, now: Date) {
  const id = randomUUID();
  await insertReportMessage(db, { id, report_id: reportId, author_type: 'system', author_user_id: null, visibility: 'reporter', body_sealed: sealMessageBody(ctx, id, text), created_at: now });
}

function describe(at: Date, timezone: string): string {
  return `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: timezone }).format(at)} (${timezone})`;
}

/**
 * Proposes a disclosure date-time (stored in UTC, shown in the proposer's
 * timezone). A proposal made while the other side's is open is a counter;
 * one made after a date was agreed is an extension: it needs a reason, a
 * later date, stays within the policy's maximum extension, and needs the
 * reporter's agreement unless the policy does not consult reporters. Nothing
 * moves the date silently: every proposal and answer is kept.
 */
export async function proposeDisclosure(ctx: ServiceContext, party: Party, reportId: string, input: { discloseAt: Date; timezone: string; reason?: string | undefined }, meta: RequestMeta) {
  const now = ctx.now();
  if (input.discloseAt <= now) throw new EmbargoError('validation_failed', 'the date must be in the future', [{ path: 'body.discloseAt', message: 'is in the past' }]);
  return ctx.db.transaction().execute(async (trx) => {
    const report = await lockOwnReport(trx, party, reportId);
    const policy = (await findPolicyAtRevision(trx, report.project_id, report.policy_revision)) as Policy;
    const proposals = await listDisclosureProposals(trx, reportId);
    const firstAgreed = proposals.find((p) => p.status === 'accepted');
    const openFromOther = proposals.find((p) => p.status === 'open' && p.proposed_by !== side(party));
    const kind = report.disclosure_at ? 'extension' : openFromOther ? 'counter' : 'initial';
    if (kind === 'extension') {
      if (side(party) !== 'team') throw new EmbargoError('forbidden', 'only the team asks for an extension; propose a date to the team in the thread instead');
      if (!input.reason?.trim()) throw new EmbargoError('validation_failed', 'an extension needs a reason', [{ path: 'body.reason', message: 'is required for an extension' }]);
      if (input.discloseAt <= report.disclosure_at!) throw new EmbargoError('validation_failed', 'an extension moves the date later', [{ path: 'body.discloseAt', message: 'must be after the agreed date' }]);
      const limit = policy.disclosure.max_extension;
      if (limit && firstAgreed && input.discloseAt.getTime() > firstAgreed.disclose_at.getTime() + durationInHours(limit) * 3_600_000) {
        throw new EmbargoError('validation_failed', 'the policy does not allow so long an extension', [{ path: 'body.discloseAt', message: `is beyond the maximum extension of the first agreed date` }]);
      }
    }
    await supersedeOpenProposals(trx, reportId, now);
    const id = randomUUID();
    const applyNow = kind === 'extension' && policy.disclosure.reporter_consulted === false;
    const proposal = await insertDisclosureProposal(trx, {
      id,
      report_id: reportId,
      proposed_by: side(party),
      proposer_user_id: party.kind === 'reporter' ? null : party.userId,
      disclose_at: input.discloseAt,
      timezone: input.timezone,
      kind,
      reason_sealed: input.reason ? seal(ctx.keyring, input.reason, reasonAad(id)) : null,
      status: applyNow ? 'accepted' : 'open',
      created_at: now,
    });
    const who = side(party) === 'team' ? 'The team' : 'The reporter';
    await note(trx, ctx, reportId, `${who} proposed ${kind === 'extension' ? 'to extend the embargo to' : 'the disclosure date'} ${describe(input.discloseAt, input.timezone)}${input.reason ? `: ${input.reason}` : ''}.`, now);
    await appendAudit(trx, { actor: auditActor(party), action: 'report.disclosure.proposed', object: { type: 'report', id: reportId }, outcome: 'success', ...meta, details: { proposalId: id, kind, discloseAt: input.discloseAt.toISOString(), timezone: input.timezone }, at: now });
    // Tells the other side (the team's mail leaves out the proposer); an extension applied at once is announced as agreed instead.
    if (!applyNow) await enqueueEvent(trx, ctx, DISCLOSURE_PROPOSED_TOPIC, { reportId, projectId: report.project_id, proposalId: id, discloseAt: input.discloseAt.toISOString(), proposedBy: side(party), proposerUserId: party.kind === 'reporter' ? null : party.userId });
    if (applyNow) await agree(trx, ctx, report.id, report.project_id, proposal, now);
    return { id, kind, status: proposal.status };
  });
}

async function agree(db: DbOrTrx, ctx: ServiceContext, reportId: string, projectId: string, proposal: DisclosureProposal, now: Date) {
  await updateReport(db, reportId, { disclosure_at: proposal.disclose_at, disclosure_timezone: proposal.timezone, updated_at: now });
  await insertReportEvent(db, { report_id: reportId, type: 'disclosure_agreed', action: 'agree_disclosure', from_state: null, to_state: null, actor_type: 'system', actor_id: null, reason_sealed: null, at: now });
  await note(db, ctx, reportId, `Disclosure is agreed for ${describe(proposal.disclose_at, proposal.timezone)}.`, now);
  await enqueueEvent(db, ctx, DISCLOSURE_AGREED_TOPIC, { reportId, projectId, discloseAt: proposal.disclose_at.toISOString() });
  const report = (await lockReportById(db, reportId))!;
  await refreshDueSummary(db, report, now);
}

/** The other side accepts or rejects an open proposal. Acceptance makes it the agreed date, with both parties on record. */
export async function answerDisclosure(ctx: ServiceContext, party: Party, reportId: string, proposalId: string, decision: 'accept' | 'reject', meta: RequestMeta) {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const report = await lockOwnReport(trx, party, reportId);
    const proposal = (await listDisclosureProposals(trx, reportId)).find((p) => p.id === proposalId);
    if (!proposal) throw new EmbargoError('not_found', 'no such proposal');
    if (proposal.status !== 'open') throw new EmbargoError('illegal_transition', `this proposal is ${proposal.status}`);
    if (proposal.proposed_by === side(party)) throw new EmbargoError('forbidden', 'the other party answers a proposal');
    await setProposalStatus(trx, proposal.id, decision === 'accept' ? 'accepted' : 'rejected', now);
    await appendAudit(trx, { actor: auditActor(party), action: `report.disclosure.${decision === 'accept' ? 'accepted' : 'rejected'}`, object: { type: 'report', id: reportId }, outcome: 'success', ...meta, details: { proposalId }, at: now });
    if (decision === 'accept') await agree(trx, ctx, report.id, report.project_id, proposal, now);
    else await note(trx, ctx, reportId, `The proposed date ${describe(proposal.disclose_at, proposal.timezone)} was declined.`, now);
    return { status: decision === 'accept' ? 'accepted' : 'rejected' };
  });
}

/** The negotiation so far, for both parties: every proposal, its answer, and the agreed date. */
export async function disclosureState(ctx: ServiceContext, reportId: string) {
  const report = await findReportById(ctx.db, reportId);
  const proposals = await listDisclosureProposals(ctx.db, reportId);
  return {
    agreed: report?.disclosure_at ? { at: report.disclosure_at, timezone: report.disclosure_timezone } : null,
    proposals: proposals.map((p) => ({
      id: p.id,
      proposedBy: p.proposed_by,
      kind: p.kind,
      discloseAt: p.disclose_at,
      timezone: p.timezone,
      reason: p.reason_sealed ? openText(ctx.keyring, p.reason_sealed, reasonAad(p.id)) : null,
      status: p.status,
      proposedAt: p.created_at,
      answeredAt: p.responded_at,
    })),
  };
}
