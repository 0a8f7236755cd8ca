import { createHash, randomUUID } from 'node:crypto';
import { openText, seal } from '../../crypto/envelope.ts';
import { generateSecretToken, hashSecretToken } from '../../crypto/secret-token.ts';
import { canonicalJson } from '../../domain/audit/canonical-json.ts';
import { formatHumanId, reportIdPrefix } from '../../domain/reports/human-id.ts';
import { checkSubmissionAgainstPolicy, type Submission } from '../../domain/reports/submission.ts';
import { combinedVersionStatus, type VersionStatus } from '../../domain/reports/version-support.ts';
import { EmbargoError } from '../../errors.ts';
import { isUniqueViolation } from '../../storage/errors.ts';
import type { ReportSource } from '../../storage/schema-reports.ts';
import { claimIdempotencyKey, completeIdempotencyRecord, findIdempotencyRecord } from '../../storage/repositories/idempotency.repository.ts';
import { insertReport, nextReportNumber } from '../../storage/repositories/report.repository.ts';
import { insertReporterToken } from '../../storage/repositories/reporter-token.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { getProject } from '../project.service.ts';
import { idempotencyAad, sealReportValue } from './sealing.ts';

export const REPORT_RECEIVED_TOPIC = 'report.received';
export const REPORTER_TOKEN_PREFIX = 'emb_rep';

export interface Receipt {
  id: string;
  humanId: string;
  status: 'received';
  versionStatus: VersionStatus;
  receivedAt: string;
  /** Shown once: the reporter's only key to the report. */
  followUpToken: string;
  followUpUrl: string;
}

export interface IntakeInput {
  slug: string;
  submission: Submission;
  source: ReportSource;
  idempotencyKey?: string | undefined;
  /** Set when the body arrived OpenPGP-encrypted to the team and could not be decrypted here. */
  encryptedToTeam?: boolean | undefined;
}

function requestHash(input: IntakeInput): string {
  return createHash('sha256').update(canonicalJson(JSON.parse(JSON.stringify(input.submission)))).digest('hex');
}

function replay(ctx: ServiceContext, projectId: string, key: string, record: { request_hash: string; response_sealed: string | null }, hash: string): Receipt {
  if (record.request_hash !== hash || record.response_sealed === null) {
    throw new EmbargoError('conflict', 'this Idempotency-Key was already used for a different submission', [{ path: 'headers.idempotency-key', message: 'was used with another body' }]);
  }
  return JSON.parse(openText(ctx.keyring, record.response_sealed, idempotencyAad(projectId, key))) as Receipt;
}

/**
 * Takes a private report. Everything (report, sealed fields, follow-up token
 * hash, idempotency record, audit entry, outbox event) commits in one
 * transaction before the receipt is returned: a 2xx means nothing can be lost.
 */
export async function submitReport(ctx: ServiceContext, input: IntakeInput, meta: RequestMeta): Promise<{ receipt: Receipt; replayed: boolean }> {
  const project = await getProject(ctx, input.slug);
  const problems = checkSubmissionAgainstPolicy(project.policy, input.submission);
  if (problems.length > 0) throw new EmbargoError('validation_failed', 'the report is missing something this project asks for', problems);
  const hash = requestHash(input);
  const key = input.idempotencyKey;
  if (key) {
    const existing = await findIdempotencyRecord(ctx.db, project.id, key);
    if (existing) return { receipt: replay(ctx, project.id, key, existing, hash), replayed: true };
  }
  try {
    const receipt = await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.now();
      if (key) await claimIdempotencyKey(trx, project.id, key, hash, now);
      const year = now.getUTCFullYear();
      const humanId = formatHumanId(reportIdPrefix(project.policy), year, await nextReportNumber(trx, project.id, year));
      const id = randomUUID();
      const { title, contact, reporter_public_key, credit, ...content } = input.submission;
      const versions = content.affected_versions?.versions?.map((v) => v.version) ?? [];
      const versionStatus = combinedVersionStatus(project.policy, versions);
      const titleInClear = project.policy.report_form.title_in_clear;
      await insertReport(trx, {
        id,
        project_id: project.id,
        human_id: humanId,
        source: input.source,
        title_clear: titleInClear ? title : null,
        title_sealed: titleInClear ? null : sealReportValue(ctx, 'title_sealed', id, title),
        fields_sealed: sealReportValue(ctx, 'fields_sealed', id, content),
        contact_sealed: contact || reporter_public_key ? sealReportValue(ctx, 'contact_sealed', id, { ...contact, publicKey: reporter_public_key }) : null,
        credit_mode: credit?.mode ?? 'none',
        credit_name_sealed: credit?.mode === 'named' && credit.name ? sealReportValue(ctx, 'credit_name_sealed', id, credit.name) : null,
        version_status: versionStatus,
        encrypted_to_team: input.encryptedToTeam ?? false,
        policy_revision: project.policyRevision,
        created_at: now,
        updated_at: now,
      });
      const token = generateSecretToken(REPORTER_TOKEN_PREFIX);
      await insertReporterToken(trx, id, hashSecretToken(token, ctx.serverSecret));
      const receipt: Receipt = {
        id,
        humanId,
        status: 'received',
        versionStatus,
        receivedAt: now.toISOString(),
        followUpToken: token,
        followUpUrl: `${ctx.publicUrl}/portal#token=${token}`,
      };
      if (key) await completeIdempotencyRecord(trx, project.id, key, id, seal(ctx.keyring, JSON.stringify(receipt), idempotencyAad(project.id, key)));
      await appendAudit(trx, { actor: { type: 'reporter', id }, action: 'report.received', object: { type: 'report', id }, outcome: 'success', ...meta, details: { project: project.slug, humanId, source: input.source }, at: now });
      await enqueueEvent(trx, ctx, REPORT_RECEIVED_TOPIC, { reportId: id, projectId: project.id, humanId });
      return receipt;
    });
    return { receipt, replayed: false };
  } catch (error) {
    // A concurrent retry with the same key committed first: answer with its receipt.
    if (key && isUniqueViolation(error)) {
      const existing = await findIdempotencyRecord(ctx.db, project.id, key);
      if (existing) return { receipt: replay(ctx, project.id, key, existing, hash), replayed: true };
    }
    throw error;
  }
}
