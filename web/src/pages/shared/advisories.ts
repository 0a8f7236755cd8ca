import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export type Rating = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface AdvisoryListEntry {
  id: string;
  project: string;
  title: string;
  summary: string;
  severity: { rating: Rating; cvss31?: { vector: string; score: number }; cvss40?: { vector: string; score: number } } | null;
  cveId: string | null;
  aliases: string[];
  state: 'published' | 'withdrawn';
  published: string | null;
  modified: string;
  withdrawn: string | null;
  links: { json: string; osv: string };
}

export interface Acknowledgement {
  name: string;
  contact: string[];
  advisories: { id: string; project: string; title: string; published: string; creditType: string }[];
}

export function useAdvisories(slug?: string) {
  const url = slug ? `/api/v1/projects/${encodeURIComponent(slug)}/advisories` : '/api/v1/advisories';
  return useQuery({ queryKey: ['advisories', slug ?? '*'], queryFn: () => api<{ advisories: AdvisoryListEntry[] }>(url) });
}

const severityClass: Record<Rating, string> = { critical: 'bad', high: 'bad', medium: 'warn', low: 'neutral', none: 'neutral' };

export function severityBadge(severity: AdvisoryListEntry['severity']): { className: string; text: string } {
  if (!severity) return { className: 'badge neutral', text: 'Severity not rated' };
  const score = severity.cvss40?.score ?? severity.cvss31?.score;
  const rating = severity.rating[0]!.toUpperCase() + severity.rating.slice(1);
  return { className: `badge ${severityClass[severity.rating]}`, text: score === undefined ? rating : `${rating} ${score.toFixed(1)}` };
}

/**
 * Only web and mail links become links. The server validates every URL it
 * stores (https, or mailto for contacts); this is the second fence, so a
 * `javascript:` that ever got through would still render as plain text.
 */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return ['https:', 'http:', 'mailto:'].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
