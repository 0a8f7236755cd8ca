import semver from 'semver';
import type { AffectedPackage, Severity } from '../../domain/advisories/model.ts';
import { ratingOf, scoreVector } from '../../domain/cvss/score.ts';
import { EmbargoError } from '../../errors.ts';
import type { DbOrTrx } from '../../storage/database.ts';
import { findReportByHumanId, findReportById } from '../../storage/repositories/report.repository.ts';
import type { AffectedProduct, Report } from '../../storage/schema-reports.ts';
import type { ServiceContext } from '../context.ts';
import { openReport } from '../reports/report-view.ts';
import type { ReporterCredit } from './content.ts';
import type { AdvisoryContentPatch } from './content-schema.ts';

/** An advisory is written about confirmed flaws: reports still in triage, or closed without a fix, cannot be linked. */
const linkableStates = ['accepted', 'fix_in_progress', 'fixed', 'disclosed'];

/** Resolves report references (uuid or human id) to reports of the project, refusing any other. */
export async function resolveLinkedReports(db: DbOrTrx, projectId: string, references: readonly string[]): Promise<Report[]> {
  const reports: Report[] = [];
  for (const [i, reference] of [...new Set(references)].entries()) {
    const report = /^[0-9a-f-]{36}$/.test(reference) ? await findReportById(db, reference) : await findReportByHumanId(db, projectId, reference);
    const path = `body.reportIds[${i}]`;
    if (!report || report.project_id !== projectId) throw new EmbargoError('validation_failed', 'a linked report was not found in this project', [{ path, message: 'is not a report of this project' }]);
    if (!linkableStates.includes(report.state)) throw new EmbargoError('validation_failed', 'only accepted reports can be linked to an advisory', [{ path, message: `is ${report.state.replace('_', ' ')}` }]);
    reports.push(report);
  }
  return reports;
}

export function reporterCredits(ctx: Pick<ServiceContext, 'keyring'>, reports: readonly Report[]): ReporterCredit[] {
  return reports.map((report) => {
    const opened = openReport(ctx, report);
    return { humanId: report.human_id, mode: opened.credit.mode, name: opened.credit.name };
  });
}

/** OSV needs a range type: semantic versions compare as SEMVER, anything else in the package's own ecosystem order. */
function toAffected(product: AffectedProduct): AffectedPackage {
  const values = product.ranges.flatMap((r) => [r.introduced, r.fixed, r.lastAffected]).filter((v): v is string => v !== undefined && v !== '0');
  const type = values.every((v) => semver.valid(v) !== null) ? 'SEMVER' : 'ECOSYSTEM';
  return { ecosystem: product.ecosystem, name: product.package, purl: product.purl, ranges: product.ranges.map((r) => ({ type, introduced: r.introduced, fixed: r.fixed, lastAffected: r.lastAffected })) };
}

function severityOf(report: Report): Severity | null {
  const scored = (vector: string | null) => {
    const result = vector ? scoreVector(vector) : undefined;
    return result?.ok ? { vector: result.score.vector, score: result.score.score } : undefined;
  };
  const cvss31 = scored(report.cvss31_vector);
  const cvss40 = scored(report.cvss40_vector);
  const score = (cvss40 ?? cvss31)?.score;
  const rating = report.severity ?? (score === undefined ? undefined : ratingOf(score));
  return rating === undefined ? null : { cvss31, cvss40, rating };
}

/**
 * A first draft from the team's assessment of the reports: the first report's
 * title, its impact as details (never the steps to reproduce: the draft is
 * meant to become public), CWE ids, CVSS and affected products of all. The
 * team edits it before publishing; credits are added from consent separately.
 */
export function prefillFromReports(ctx: Pick<ServiceContext, 'keyring'>, reports: readonly Report[]): AdvisoryContentPatch {
  const first = reports[0];
  if (!first) return {};
  const opened = openReport(ctx, first);
  const impact = typeof opened.content.impact === 'string' ? opened.content.impact : '';
  const severity = severityOf(first);
  return {
    title: opened.title.replace(/[\r\n]+/g, ' ').slice(0, 300),
    summary: opened.title.replace(/[\r\n]+/g, ' ').slice(0, 1000),
    details: impact,
    cweIds: [...new Set(reports.flatMap((r) => r.cwe_ids))],
    affected: reports.flatMap((r) => r.affected.map(toAffected)),
    severity: severity ? { cvss31: severity.cvss31?.vector, cvss40: severity.cvss40?.vector, rating: severity.cvss31 || severity.cvss40 ? undefined : severity.rating } : null,
  };
}
