import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
// Types only, plus the pure wording helpers (no zod at run time): the page says what SECURITY.md says, in the same words.
import type { Policy } from '../../../../src/domain/policy/schema.ts';

export type { Policy };

export interface Project {
  slug: string;
  name: string;
  policyRevision: number;
  policy: Policy;
  /** The policy's Markdown fields, sanitised to HTML on the server (src/formats/markdown-html.ts), keyed by path. */
  markdownHtml: Record<string, string>;
  links: { securityMd: string; securityTxt: string; policyYaml: string };
  createdAt: string;
  updatedAt: string;
}

export interface IntakeInfo {
  attachments: { maxFileBytes: number; maxReportBytes: number; maxCount: number };
  encryption: { publicKey: string; fingerprint: string | null; serverCanDecrypt: boolean } | null;
}

export function useProject(slug: string) {
  return useQuery({ queryKey: ['project', slug], queryFn: () => api<Project>(`/api/v1/projects/${encodeURIComponent(slug)}`) });
}

export function useIntakeInfo(slug: string) {
  return useQuery({ queryKey: ['intake', slug], queryFn: () => api<IntakeInfo>(`/api/v1/projects/${encodeURIComponent(slug)}/intake`) });
}

/** 1536 → "1.5 KiB": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString('en-GB', { year: 'numeric', month: 'long', day: 'numeric' });
}
