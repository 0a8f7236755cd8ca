// The package is CommonJS; Node's ESM loader exposes only its default export.
import cvssCalculator from 'ae-cvss-calculator';

const { Cvss3P1, Cvss4P0 } = cvssCalculator;
import type { ErrorDetail } from '../../errors.ts';
import type { Severity } from '../policy/targets.ts';

export type CvssVersion = '3.1' | '4.0';
export type SeverityRating = Severity | 'none';

export interface CvssScore {
  version: CvssVersion;
  vector: string;
  score: number;
  rating: SeverityRating;
}

type MetricTable = Record<string, readonly string[]>;

/** Base metrics each version requires, with their allowed values (FIRST specifications). */
const baseMetrics: Record<CvssVersion, MetricTable> = {
  '3.1': { AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], PR: ['N', 'L', 'H'], UI: ['N', 'R'], S: ['U', 'C'], C: ['N', 'L', 'H'], I: ['N', 'L', 'H'], A: ['N', 'L', 'H'] },
  '4.0': { AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], AT: ['N', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'P', 'A'], VC: ['H', 'L', 'N'], VI: ['H', 'L', 'N'], VA: ['H', 'L', 'N'], SC: ['H', 'L', 'N'], SI: ['H', 'L', 'N'], SA: ['H', 'L', 'N'] },
};

/** Optional metrics: any value the calculator knows is accepted, but the key must be a real one. */
const optionalMetrics: Record<CvssVersion, readonly string[]> = {
  '3.1': ['E', 'RL', 'RC', 'CR', 'IR', 'AR', 'MAV', 'MAC', 'MPR', 'MUI', 'MS', 'MC', 'MI', 'MA'],
  '4.0': ['E', 'CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA', 'S', 'AU', 'R', 'V', 'RE', 'U'],
};

export function ratingOf(score: number): SeverityRating {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/**
 * Checks a vector's structure before scoring. The calculator silently scores
 * an incomplete vector as 0, which would file a critical flaw as harmless;
 * so every base metric must be present, once, with a valid value.
 */
export function vectorProblems(vector: string, path: string): { version?: CvssVersion; problems: ErrorDetail[] } {
  const match = /^CVSS:(3\.1|4\.0)\/(.+)$/.exec(vector.trim());
  if (!match) return { problems: [{ path, message: 'must start with CVSS:3.1/ or CVSS:4.0/' }] };
  const version = match[1] as CvssVersion;
  const seen = new Map<string, string>();
  const problems: ErrorDetail[] = [];
  for (const part of match[2]!.split('/')) {
    const [key, value, extra] = part.split(':');
    if (!key || !value || extra !== undefined) problems.push({ path, message: `"${part}" is not a metric:value pair` });
    else if (seen.has(key)) problems.push({ path, message: `${key} is given twice` });
    else if (!(key in baseMetrics[version]) && !optionalMetrics[version].includes(key)) problems.push({ path, message: `${key} is not a CVSS ${version} metric` });
    else if (key in baseMetrics[version] && !baseMetrics[version][key]!.includes(value)) problems.push({ path, message: `${key}:${value} is not a valid value (${baseMetrics[version][key]!.join(', ')})` });
    if (key && value) seen.set(key, value);
  }
  const missing = Object.keys(baseMetrics[version]).filter((key) => !seen.has(key));
  if (missing.length > 0) problems.push({ path, message: `is missing base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` });
  return { version, problems };
}

/** Scores a complete vector with ae-cvss-calculator; returns the problems instead when it is not complete and valid. */
export function scoreVector(vector: string, path = 'vector'): { ok: true; score: CvssScore } | { ok: false; problems: ErrorDetail[] } {
  const { version, problems } = vectorProblems(vector, path);
  if (!version || problems.length > 0) return { ok: false, problems };
  const trimmed = vector.trim();
  const calculator = version === '3.1' ? new Cvss3P1(trimmed) : new Cvss4P0(trimmed);
  const score = Number(calculator.calculateScores().overall);
  if (!Number.isFinite(score)) return { ok: false, problems: [{ path, message: 'could not be scored' }] };
  return { ok: true, score: { version, vector: trimmed, score, rating: ratingOf(score) } };
}
