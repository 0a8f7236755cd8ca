import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { openText, seal } from '../../crypto/envelope.ts';
import { generateSecretToken, hashSecretToken } from '../../crypto/secret-token.ts';
import { canonicalJson } from '../../domain/audit/canonical-json.ts';
import { formatHumanId, reportIdPrefix } from '../../domain/reports/human-id.ts';
import { checkSubmissionAgainstPolicy, type Submission } from '../../domain/reports/submission.ts';
import { combinedVersionStatus, type VersionStatus } from '../../domain/reports/version-support.ts';
import { EmbargoError } from '../../errors.ts';
import { isUniqueViolation } from '../../storage/errors.ts';
import type { ReportSource } from '../../storage/schema-reports.ts';
import type { Database } from '../../storage/schema.ts';
import { claimIdempotencyKey, completeIdempotencyRecord, findIdempotencyRecord } from '../../storage/repositories/idempotency.repository.ts';
import { insertReport, nextReportNumber } from '../../storage/repositories/report.repository.ts';
import { dueSummaryAtReceipt } from '../triage/report-clocks.ts';
import { insertReporterToken } from '../../storage/repositories/reporter-token.repository.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { enqueueEvent } from '../outbox.service.ts';
import { getProject } from '../project.service.ts';
import { storeAttachments, type IncomingFile } from './attachments.service.ts';
import { idempotencyAad, sealReportValue } from './sealing.ts';
import { openSubmission } from './submission-openpgp.ts';

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
  /** Files sent with the report (multipart); stored in the same transaction, or not at all. */
  attachments?: readonly IncomingFile[] | undefined;
  /** Runs last inside the report's transaction (email intake: reply address and acknowledgement commit with the report). */
  withinTransaction?: ((trx: Transaction<Database>, receipt: Receipt) => Promise<void>) | undefined;
}

function requestHash(input: IntakeInput): string {
  const submission = JSON.parse(JSON.stringify(input.submission));
  // Files count by name and content: a retry with other files under the same key is another submission.
  const files = input.attachments?.map((file) => [file.filename, createHash('sha256').update(file.data).digest('hex')]) ?? [];
  return createHash('sha256').update(canonicalJson(files.length > 0 ? { submission, files } : submission)).digest('hex');
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
  // Armoured fields are decrypted first, so the policy checks what the reporter wrote rather than ciphertext.
  const opened = await openSubmission(ctx, project.id, input.submission);
  // A mail cannot fill in a form: for email only its text is required (email-intake.service.ts checks it).
  const problems = input.source === 'email' ? [] : checkSubmissionAgainstPolicy(project.policy, opened.submission);
  if (problems.length > 0) throw new EmbargoError('validation_failed', 'the report is missing something this project asks for', problems);
  const hash = requestHash(input);
  const key = input.idempotencyKey;
  if (key) {
    const existing = await findIdempotencyRecord(ctx.db, project.id, key);
    if (existing) return { receipt: replay(ctx, project.id, key, existing, hash), replayed: true };
  }
  try {
    // Two locks serialise intakes until commit: the project's report counter, then the audit chain. So
    // they are taken as late as they can be: the row is sealed and its clocks computed beforehand (not
    // read back), and only inserts follow. docs/PERFORMANCE.md has the measurements.
    const receipt = await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.now();
      if (key) await claimIdempotencyKey(trx, project.id, key, hash, now);
      const id = randomUUID();
      const { title, contact, reporter_public_key, credit, ...content } = opened.submission;
      const versions = content.affected_versions?.versions?.map((v) => v.version) ?? [];
      const versionStatus = combinedVersionStatus(project.policy, versions);
      const titleInClear = project.policy.report_form.title_in_clear;
      const row = {
        id,
        project_id: project.id,
        source: input.source,
        title_clear: titleInClear ? title : null,
        title_sealed: titleInClear ? null : sealReportValue(ctx, 'title_sealed', id, title),
        fields_sealed: sealReportValue(ctx, 'fields_sealed', id, content),
        contact_sealed: contact || reporter_public_key ? sealReportValue(ctx, 'contact_sealed', id, { ...contact, publicKey: reporter_public_key }) : null,
        credit_mode: credit?.mode ?? 'none',
        credit_name_sealed: credit?.mode === 'named' && credit.name ? sealReportValue(ctx, 'credit_name_sealed', id, credit.name) : null,
        version_status: versionStatus,
        encrypted_to_team: (input.encryptedToTeam ?? false) || opened.encryptedToTeam,
        policy_revision: project.policyRevision,
        // The inbox sorts by the first deadline.
        ...dueSummaryAtReceipt(project.policy, now),
        created_at: now,
        updated_at: now,
      };
      const token = generateSecretToken(REPORTER_TOKEN_PREFIX);
      const tokenHash = hashSecretToken(token, ctx.serverSecret);
      const year = now.getUTCFullYear();
      const humanId = formatHumanId(reportIdPrefix(project.policy), year, await nextReportNumber(trx, project.id, year));
      await insertReport(trx, { ...row, human_id: humanId });
      await insertReporterToken(trx, id, tokenHash);
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
      await enqueueEvent(trx, ctx, REPORT_RECEIVED_TOPIC, { reportId: id, projectId: project.id, humanId });
      await appendAudit(trx, { actor: { type: 'reporter', id }, action: 'report.received', object: { type: 'report', id }, outcome: 'success', ...meta, details: { project: project.slug, humanId, source: input.source }, at: now });
      await storeAttachments(trx, ctx, { reportId: id, uploadedBy: 'reporter', files: input.attachments ?? [], actor: { type: 'reporter', id }, meta });
      await input.withinTransaction?.(trx, receipt);
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
