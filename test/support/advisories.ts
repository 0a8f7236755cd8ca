import { accountsHarness } from './accounts.ts';
import { examplePolicyExpiringIn } from './policies.ts';
import { validReport } from './reports.ts';
import type { DatabaseKind } from './databases.ts';

export type AdvisoryHarness = Awaited<ReturnType<typeof advisoryHarness>>;

/** An instance on 2026-11-23 with the payqi project, and helpers to get accepted reports and advisories through the API. */
export async function advisoryHarness(kind: DatabaseKind, slugs: readonly string[] = ['payqi']) {
  const h = await accountsHarness(kind, { start: new Date('2026-11-23T09:00:00Z') });
  for (const slug of slugs) {
    const policy = (await examplePolicyExpiringIn(slug, 190, h.now())).text;
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } });
    if (created.statusCode !== 201) throw new Error(created.body);
  }
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = h.ownerAuth) =>
    h.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  return {
    ...h,
    call,
    /** A report taken through acknowledge and accept; returns its id and the reporter's token header. */
    async acceptedReport(slug: string, credit: { mode: 'named' | 'anonymous' | 'none'; name?: string }, contact: object = validReport.contact) {
      const submitted = await h.app.inject({ method: 'POST', url: `/api/v1/projects/${slug}/reports`, payload: { ...validReport, credit, contact } });
      if (submitted.statusCode !== 201) throw new Error(submitted.body);
      const { id, humanId, followUpToken } = submitted.json();
      for (const type of ['acknowledge', 'accept']) await call('POST', `/api/v1/reports/${id}/actions`, { type });
      return { id: id as string, humanId: humanId as string, reporter: { authorization: `Bearer ${followUpToken}` } };
    },
    /** Creates a draft and returns its public id. */
    async draft(slug: string, body: object): Promise<string> {
      const response = await call('POST', `/api/v1/projects/${slug}/advisories`, body);
      if (response.statusCode !== 201) throw new Error(response.body);
      return response.json().advisory.id as string;
    },
  };
}

/** Content that renders to valid OSV. */
export const advisoryBody = {
  title: 'Path traversal in file download',
  summary: 'The download endpoint reads files outside its directory',
  details: 'Upgrade to **1.4.3**.',
  severity: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
  cweIds: ['CWE-22'],
  affected: [{ ecosystem: 'npm', name: 'payqi-server', ranges: [{ type: 'SEMVER', introduced: '1.2.0', fixed: '1.4.3' }] }],
  references: [{ type: 'FIX', url: 'https://example.org/payqi/commit/abc' }],
};
