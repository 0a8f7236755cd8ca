import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

const PASSWORD = 'a long enough passphrase for tests';

describe.each(databaseKinds)("the team's report view and the report's audit trail on %s", (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let reportId: string;
  let viewer: Record<string, string>;

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('leher')).text } });
    const receipt = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { title: 'SSRF', description: 'd', steps_to_reproduce: 's', impact: 'i', affected_versions: { text: '1' } } })).json();
    reportId = receipt.id;
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email: 'viewer@example.org', role: 'member', project: { slug: 'leher', role: 'viewer' } } });
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken('viewer@example.org', '/invitation#token='), password: PASSWORD } });
    viewer = (await h.browserLogin('viewer@example.org', PASSWORD)).headers;
  });
  afterAll(() => h?.close());

  it('carries the project, the recorded assessment and only the workflow steps valid now', async () => {
    const fresh = (await h.app.inject({ url: `/api/v1/reports/${reportId}`, headers: h.ownerAuth })).json();
    expect(fresh.project).toEqual({ slug: 'leher', name: expect.any(String) });
    expect(fresh.availableActions).toEqual(['acknowledge', 'request_info', 'accept', 'close']);
    expect(fresh.assessment).toMatchObject({ severity: null, cvss31: null, cvss40: null, cweIds: [], labels: [], assigneeId: null, affected: [] });

    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/actions`, headers: h.ownerAuth, payload: { type: 'accept' } });
    await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${reportId}/assessment`, headers: h.ownerAuth, payload: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', cweIds: ['CWE-918'], labels: ['ssrf'] } });
    const assessed = (await h.app.inject({ url: `/api/v1/reports/${reportId}`, headers: h.ownerAuth })).json();
    expect(assessed.availableActions).toEqual(['request_info', 'start_fix', 'mark_fixed', 'disclose']);
    expect(assessed.assessment).toMatchObject({ severity: 'critical', cvss31: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 }, cweIds: ['CWE-918'], labels: ['ssrf'] });
  });

  it("shows the project team the report's trail without addresses, and nobody outside it", async () => {
    const trail = await h.app.inject({ url: `/api/v1/reports/${reportId}/audit`, headers: viewer });
    expect(trail.statusCode).toBe(200);
    const actions = (trail.json().entries as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['report.received', 'report.assessed']));
    expect(trail.json().entries[0]).not.toHaveProperty('ip');
    expect(trail.json().entries[0]).not.toHaveProperty('user_agent');
    const paged = (await h.app.inject({ url: `/api/v1/reports/${reportId}/audit?limit=1`, headers: viewer })).json();
    expect(paged.entries).toHaveLength(1);
    expect(paged.nextAfterSeq).toBe(paged.entries[0].seq);
    expect((await h.app.inject({ url: `/api/v1/reports/${reportId}/audit` })).statusCode).toBe(401);
  });
});
