import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

const HOUR = 3_600_000;
const TRIAGER = 'triager@example.org';
const PASSWORD = 'triager passphrase is long';

describe.each(databaseKinds)('the inbox on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  const ids: Record<string, string> = {};
  let triager: Record<string, string>;

  const submit = async (slug: string, title: string) => {
    const payload = { title, description: 'd', steps_to_reproduce: 's', impact: 'i', affected_versions: { text: '1.0' } };
    const receipt = (await h.app.inject({ method: 'POST', url: `/api/v1/projects/${slug}/reports`, payload })).json();
    ids[title] = receipt.id;
    h.advance(HOUR);
  };
  const inbox = async (query = '', headers: Record<string, string> = h.ownerAuth) => {
    const response = await h.app.inject({ url: `/api/v1/reports${query}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { reports: Array<{ id: string; title: string; state: string; clockStatus: string }>; nextCursor: string | null };
  };
  const titles = (page: { reports: Array<{ title: string }> }) => page.reports.map((r) => r.title);

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date('2026-11-23T09:00:00Z') });
    for (const name of ['leher', 'payqi']) {
      const policy = (await examplePolicyExpiringIn(name, 190, h.now())).text;
      await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } });
    }
    for (const title of ['L1', 'L2', 'L3']) await submit('leher', title);
    for (const title of ['P1', 'P2']) await submit('payqi', title);
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email: TRIAGER, role: 'member', project: { slug: 'payqi', role: 'triager' } } });
    await h.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(TRIAGER, '/invitation#token='), password: PASSWORD } });
    triager = (await h.browserLogin(TRIAGER, PASSWORD)).headers;
  });
  afterAll(() => h?.close());

  it('shows organisation admins every project and members only theirs', async () => {
    expect(titles(await inbox()).sort()).toEqual(['L1', 'L2', 'L3', 'P1', 'P2']);
    expect(titles(await inbox('', triager)).sort()).toEqual(['P1', 'P2']);
    expect(titles(await inbox('?project=leher', triager))).toEqual([]);
  });

  it('sorts the most urgent first and filters by state, clock status and assignee', async () => {
    expect(titles(await inbox('?sort=due'))).toEqual(['L1', 'L2', 'L3', 'P1', 'P2']);
    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${ids.L1}/actions`, headers: h.ownerAuth, payload: { type: 'acknowledge' } });
    expect(titles(await inbox('?state=received&sort=oldest'))).toEqual(['L2', 'L3', 'P1', 'P2']);
    h.advance(44 * HOUR);
    // Refreshing happens on change and in the SLA scan; a state change refreshes the report it touches.
    await h.app.inject({ method: 'POST', url: `/api/v1/reports/${ids.L2}/actions`, headers: h.ownerAuth, payload: { type: 'request_info', reason: 'More?' } });
    expect(titles(await inbox('?state=needs_info'))).toEqual(['L2']);
    expect((await inbox('?clockStatus=paused')).reports.map((r) => r.title)).toEqual(['L2']);
    triager = (await h.browserLogin(TRIAGER, PASSWORD)).headers; // the old session idled out while the clock moved
    const me = (await h.app.inject({ url: '/api/v1/me', headers: triager })).json().id;
    await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${ids.P1}/assessment`, headers: h.ownerAuth, payload: { assigneeId: me, labels: ['auth'] } });
    expect(titles(await inbox('?assignee=me', triager))).toEqual(['P1']);
    expect(titles(await inbox('?label=auth'))).toEqual(['P1']);
  });

  it('pages with a stable cursor and refuses a forged one', async () => {
    const first = await inbox('?sort=newest&limit=2');
    expect(titles(first)).toEqual(['P2', 'P1']);
    const second = await inbox(`?sort=newest&limit=2&cursor=${first.nextCursor}`);
    expect(titles(second)).toEqual(['L3', 'L2']);
    const third = await inbox(`?sort=newest&limit=2&cursor=${second.nextCursor}`);
    expect(titles(third)).toEqual(['L1']);
    expect(third.nextCursor).toBeNull();
    const due1 = await inbox('?sort=due&limit=3');
    const due2 = await inbox(`?sort=due&limit=3&cursor=${due1.nextCursor}`);
    expect(new Set([...titles(due1), ...titles(due2)]).size).toBe(5);
    const forged = await h.app.inject({ url: '/api/v1/reports?cursor=not-a-cursor', headers: h.ownerAuth });
    expect(forged.json().error.details[0].path).toBe('querystring.cursor');
    const badFilter = await h.app.inject({ url: '/api/v1/reports?state=sleeping', headers: h.ownerAuth });
    expect(badFilter.statusCode).toBe(400);
  });
});
