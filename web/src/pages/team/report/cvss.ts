// ae-cvss-calculator is CommonJS; the default export carries the classes (Vite converts it for the browser).
import cvssCalculator from 'ae-cvss-calculator';

export type CvssVersion = '3.1' | '4.0';
type Metric = { key: string; name: string; values: Array<[string, string]> };

const cia: Array<[string, string]> = [['H', 'High'], ['L', 'Low'], ['N', 'None']];
const common = {
  AV: { key: 'AV', name: 'Attack vector', values: [['N', 'Network'], ['A', 'Adjacent'], ['L', 'Local'], ['P', 'Physical']] },
  AC: { key: 'AC', name: 'Attack complexity', values: [['L', 'Low'], ['H', 'High']] },
  PR: { key: 'PR', name: 'Privileges required', values: [['N', 'None'], ['L', 'Low'], ['H', 'High']] },
} satisfies Record<string, Metric>;

/** Base metrics of each version with their names, from the FIRST specifications (the server checks the same table). */
export const baseMetrics: Record<CvssVersion, Metric[]> = {
  '3.1': [
    common.AV, common.AC, common.PR,
    { key: 'UI', name: 'User interaction', values: [['N', 'None'], ['R', 'Required']] },
    { key: 'S', name: 'Scope', values: [['U', 'Unchanged'], ['C', 'Changed']] },
    { key: 'C', name: 'Confidentiality', values: cia },
    { key: 'I', name: 'Integrity', values: cia },
    { key: 'A', name: 'Availability', values: cia },
  ],
  '4.0': [
    common.AV, common.AC,
    { key: 'AT', name: 'Attack requirements', values: [['N', 'None'], ['P', 'Present']] },
    common.PR,
    { key: 'UI', name: 'User interaction', values: [['N', 'None'], ['P', 'Passive'], ['A', 'Active']] },
    { key: 'VC', name: 'Vulnerable system confidentiality', values: cia },
    { key: 'VI', name: 'Vulnerable system integrity', values: cia },
    { key: 'VA', name: 'Vulnerable system availability', values: cia },
    { key: 'SC', name: 'Subsequent system confidentiality', values: cia },
    { key: 'SI', name: 'Subsequent system integrity', values: cia },
    { key: 'SA', name: 'Subsequent system availability', values: cia },
  ],
};

export type Selection = Record<string, string>;

/** The base-metric choices in a vector (other metrics are ignored by the builder). */
export function parseVector(vector: string | null | undefined, version: CvssVersion): Selection {
  const match = vector ? /^CVSS:(3\.1|4\.0)\/(.+)$/.exec(vector.trim()) : null;
  if (!match || match[1] !== version) return {};
  const known = new Map(baseMetrics[version].map((m) => [m.key, m]));
  const selection: Selection = {};
  for (const part of match[2]!.split('/')) {
    const [key, value] = part.split(':');
    if (key && value && known.get(key)?.values.some(([v]) => v === value)) selection[key] = value;
  }
  return selection;
}

export function vectorOf(selection: Selection, version: CvssVersion): string | null {
  const parts = baseMetrics[version].map((m) => (selection[m.key] ? `${m.key}:${selection[m.key]}` : null));
  return parts.every(Boolean) ? `CVSS:${version}/${parts.join('/')}` : null;
}

export function rating(score: number): string {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** The score of a complete vector, computed in the browser by the same library the server uses. */
export function scoreOf(vector: string, version: CvssVersion): number | null {
  const { Cvss3P1, Cvss4P0 } = cvssCalculator;
  const calculator = version === '3.1' ? new Cvss3P1(vector) : new Cvss4P0(vector);
  const score = Number(calculator.calculateScores().overall);
  return Number.isFinite(score) ? score : null;
}
