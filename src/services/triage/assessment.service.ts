import { ratingOf, scoreVector, type SeverityRating } from '../../domain/cvss/score.ts';
import type { ApiTokenPrincipal, UserPrincipal } from '../../domain/access/principal.ts';
import { EmbargoError, type ErrorDetail } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import type { AffectedProduct, Report } from '../../storage/schema-reports.ts';
import semver from 'semver';
import { findProjectRole } from '../../storage/repositories/project-member.repository.ts';
import { lockReportById, updateReport } from '../../storage/repositories/report.repository.ts';
import { findUserById } from '../../storage/repositories/user.repository.ts';
import { auditActor } from '../audit-actor.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';
import { refreshDueSummary } from './report-clocks.ts';

export interface AssessmentInput {
  cvss31?: string | null | undefined;
  cvss40?: string | null | undefined;
  /** A severity other than the one the vectors give; only with a reason. */
  severityOverride?: { severity: SeverityRating; reason: string } | null | undefined;
  cweIds?: string[] | undefined;
  assigneeId?: string | null | undefined;
  labels?: string[] | undefined;
  /** Affected products and version ranges, as the advisory will list them. */
  affected?: AffectedProduct[] | undefined;
}

/** Within a range, a semver `introduced` must come before its `fixed` (other version schemes are taken as written). */
function rangeProblems(affected: AffectedProduct[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  affected.forEach((product, p) =>
    product.ranges.forEach((range, r) => {
      const path = `body.affected[${p}].ranges[${r}]`;
      if (range.fixed !== undefined && range.lastAffected !== undefined) problems.push({ path, message: 'give fixed or lastAffected, not both' });
      const from = range.introduced === '0' ? '0.0.0' : semver.valid(range.introduced);
      const to = range.fixed ? semver.valid(range.fixed) : null;
      if (from && to && !semver.lt(from, to)) problems.push({ path: `${path}.fixed`, message: 'must be later than introduced' });
    }),
  );
  return problems;
}

/** The vectors' rating: CVSS 4.0 when given, else 3.1. */
function derivedSeverity(cvss31: number | null, cvss40: number | null): SeverityRating | null {
  if (cvss40 !== null) return ratingOf(cvss40);
  if (cvss31 !== null) return ratingOf(cvss31);
  return null;
}

/** Runs inside the caller's transaction: on PGlite a second connection would wait for the one the transaction holds. */
async function assertAssignable(db: DbOrTrx, report: Report, userId: string): Promise<void> {
  const user = await findUserById(db, userId);
  const role = user ? await findProjectRole(db, report.project_id, userId) : null;
  const canWork = user && user.disabled_at === null && (user.role !== 'member' || role === 'triager' || role === 'project_admin');
  if (!canWork) throw new EmbargoError('validation_failed', 'the assignee must be a triager or admin of this project', [{ path: 'body.assigneeId', message: 'cannot work on this project' }]);
}

/**
 * Records the team's assessment: CVSS vectors (validated and scored with
 * ae-cvss-calculator; an incomplete vector is refused, not scored 0), the
 * severity they give (or an override with its reason), CWE ids, assignee
 * and labels. A severity change moves the fix clock, so clocks are refreshed.
 */
export async function updateAssessment(ctx: ServiceContext, member: UserPrincipal | ApiTokenPrincipal, reportId: string, input: AssessmentInput, meta: RequestMeta) {
  const problems: ErrorDetail[] = [];
  const scored = (vector: string | null | undefined, path: string) => {
    if (vector === undefined || vector === null) return vector;
    const result = scoreVector(vector, path);
    if (!result.ok) problems.push(...result.problems);
    return result.ok ? result.score : undefined;
  };
  const cvss31 = scored(input.cvss31, 'body.cvss31');
  const cvss40 = scored(input.cvss40, 'body.cvss40');
  if (input.affected) problems.push(...rangeProblems(input.affected));
  if (problems.length > 0) throw new EmbargoError('validation_failed', 'the assessment is incomplete or invalid', problems);
  return ctx.db.transaction().execute(async (trx) => {
    const report = await lockReportById(trx, reportId);
    if (!report) throw new EmbargoError('not_found', 'no such report');
    if (input.assigneeId) await assertAssignable(trx, report, input.assigneeId);
    const score31 = cvss31 === undefined ? (report.cvss31_score === null ? null : Number(report.cvss31_score)) : cvss31 === null ? null : cvss31.score;
    const score40 = cvss40 === undefined ? (report.cvss40_score === null ? null : Number(report.cvss40_score)) : cvss40 === null ? null : cvss40.score;
    const override = input.severityOverride === undefined ? (report.severity_override_reason ? { severity: report.severity as SeverityRating, reason: report.severity_override_reason } : null) : input.severityOverride;
    const severity = override?.severity ?? derivedSeverity(score31, score40);
    await updateReport(trx, report.id, {
      ...(cvss31 !== undefined ? { cvss31_vector: cvss31?.vector ?? null, cvss31_score: cvss31?.score ?? null } : {}),
      ...(cvss40 !== undefined ? { cvss40_vector: cvss40?.vector ?? null, cvss40_score: cvss40?.score ?? null } : {}),
      severity,
      severity_override_reason: override?.reason ?? null,
      ...(input.cweIds !== undefined ? { cwe_ids: JSON.stringify(input.cweIds) } : {}),
      ...(input.labels !== undefined ? { labels: JSON.stringify([...new Set(input.labels)]) } : {}),
      ...(input.affected !== undefined ? { affected: JSON.stringify(input.affected) } : {}),
      ...(input.assigneeId !== undefined ? { assignee_id: input.assigneeId } : {}),
      updated_at: ctx.now(),
    });
    await appendAudit(trx, { actor: auditActor(member), action: 'report.assessed', object: { type: 'report', id: report.id }, outcome: 'success', ...meta, details: { severity, cvss31: cvss31?.vector ?? null, cvss40: cvss40?.vector ?? null, override: override?.severity ?? null, assigneeId: input.assigneeId ?? null }, at: ctx.now() });
    const updated = (await lockReportById(trx, report.id))!;
    await refreshDueSummary(trx, updated, ctx.now());
    return { severity, cvss31: score31, cvss40: score40, severityOverride: override };
  });
}
