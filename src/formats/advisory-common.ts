/**
 * Vocabulary the advisory renderers share: timestamps, CVSS metric objects,
 * CWE names, and the human labels of ratings, credits and references. Kept
 * in one place so OSV, CSAF and CVE records say the same thing the same way.
 */
import cvssCalculator from 'ae-cvss-calculator';
import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import { ratingOf } from '../domain/cvss/score.ts';
import { creditTypes, referenceTypes } from '../domain/advisories/model.ts';
import type { CreditType, ReferenceType, Severity } from '../domain/advisories/model.ts';

const { Cvss3P1 } = cvssCalculator;

/** RFC 3339 in UTC with a `Z`: the only form OSV's timestamp pattern accepts, and valid for CSAF and CVE too. */
export function utc(timestamp: string): string {
  return new Date(timestamp).toISOString();
}

export type SeverityName = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export function severityName(score: number): SeverityName {
  return ratingOf(score).toUpperCase() as SeverityName;
}

export interface Cvss3Metric {
  version: '3.1';
  vectorString: string;
  baseScore: number;
  baseSeverity: SeverityName;
}

/**
 * CSAF and CVE want the *base* score next to a 3.1 vector (CSAF mandatory
 * test 6.1.9 recomputes it). The model keeps the overall score, which differs
 * once temporal or environmental metrics are present, so recompute it here.
 */
export function cvss31Metric(vector: string): Cvss3Metric {
  const baseScore = Number(new Cvss3P1(vector).calculateScores().base);
  return { version: '3.1', vectorString: vector, baseScore, baseSeverity: severityName(baseScore) };
}

const cweNames = new Map(weaknesses.map((weakness) => [weakness.id, weakness.name]));

/** The catalogue name of a CWE id (`CWE-79`), as CSAF test 6.1.11 expects it; undefined for unknown ids. */
export function cweName(id: string): string | undefined {
  return cweNames.get(id);
}

/** `high` → `High`: the form CSAF threat and aggregate-severity texts use. */
export function ratingLabel(rating: Severity['rating']): string {
  return rating.charAt(0).toUpperCase() + rating.slice(1);
}

/** `REMEDIATION_DEVELOPER` → `remediation developer`: CVE's credit types, and the CSAF acknowledgment summary. */
export function creditLabel(type: CreditType): string {
  return type.toLowerCase().replace(/_/g, ' ');
}

export function creditTypeOfLabel(label: string | undefined): CreditType | undefined {
  return creditTypes.find((type) => creditLabel(type) === label?.trim().toLowerCase());
}

/** `FIX` → `fix`: the CSAF reference summary, read back on import. */
export function referenceLabel(type: ReferenceType): string {
  return type.toLowerCase();
}

export function referenceTypeOfLabel(label: string | undefined): ReferenceType | undefined {
  return referenceTypes.find((type) => referenceLabel(type) === label?.trim().toLowerCase());
}

const ratingWords: Record<string, Severity['rating']> = {
  none: 'none', low: 'low', moderate: 'medium', medium: 'medium', important: 'high', high: 'high', critical: 'critical',
};

/** Advisory severity ratings from the words vendors use (GHSA `MODERATE`, Red Hat `Important`…). */
export function ratingOfWord(word: string | undefined): Severity['rating'] | undefined {
  return word === undefined ? undefined : ratingWords[word.trim().toLowerCase()];
}

/** Drops keys whose value is undefined, so rendered documents carry no empty fields (OSV and CSAF forbid unknown or null ones). */
export function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** The list, or undefined when it is empty: optional arrays in these formats must not be empty. */
export function nonEmpty<T>(items: readonly T[]): T[] | undefined {
  return items.length === 0 ? undefined : [...items];
}

export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
