import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

const HOUR = 3_600_000;

describe.each(databaseKinds)('response metrics on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let policy: string;

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date('2026-11-02T09:00:00Z') });
    policy = (await examplePolicyExpiringIn('leher', 190, h.now())).text;
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } });
    // Three reports acknowledged after 10, 20 and 60 hours (the last one late: the target is 48).
    for (const delay of [10, 20, 60]) {
      const id = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { title: 't', description: 'd', steps_to_reproduce: 's', impact: 'i', affected_versions: { text: '1' } } })).json().id;
      h.advance(delay * HOUR);
      await h.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/actions`, headers: h.ownerAuth, payload: { type: 'acknowledge' } });
      h.advance(100 * HOUR);
    }
  });
  afterAll(() => h?.close());

  it('reports median and 90th-percentile times and SLA compliance per clock', async () => {
    const response = await h.app.inject({ url: '/api/v1/projects/leher/metrics?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z', headers: h.ownerAuth });
    expect(response.statusCode, response.body).toBe(200);
    const metrics = response.json();
    expect(metrics.timeTo.acknowledge).toEqual({ count: 3, medianHours: 20, p90Hours: 52 });
    expect(metrics.sla.clocks.acknowledgement).toEqual({ met: 2, breached: 1, rate: 0.667 });
    expect(metrics.byState).toEqual({ acknowledged: 3 });
  });

  it('gives time to acknowledge per week of receipt, and the open backlog by severity and age', async () => {
    const metrics = (await h.app.inject({ url: '/api/v1/projects/leher/metrics?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z', headers: h.ownerAuth })).json();
    // Received Monday 2 Nov and Friday 6 Nov (acknowledged after 10 and 20 hours), then Wednesday 11 Nov (60 hours).
    expect(metrics.weekly).toEqual([
      { week: '2026-11-02', acknowledge: { count: 2, medianHours: 15, p90Hours: 19 }, fix: { count: 0, medianHours: null, p90Hours: null } },
      { week: '2026-11-09', acknowledge: { count: 1, medianHours: 60, p90Hours: 60 }, fix: { count: 0, medianHours: null, p90Hours: null } },
    ]);
    // Now is 18 Nov: two reports are between one week and a month old, one under a week; none is scored yet.
    expect(metrics.open).toEqual({ unscored: { under7Days: 1, under30Days: 2, under90Days: 0, over90Days: 0 } });
  });

  it('refuses a period longer than a year or backwards', async () => {
    const long = await h.app.inject({ url: '/api/v1/projects/leher/metrics?from=2020-01-01T00:00:00Z&to=2026-12-31T00:00:00Z', headers: h.ownerAuth });
    expect(long.json().error.details[0].path).toBe('querystring.from');
    const backwards = await h.app.inject({ url: '/api/v1/projects/leher/metrics?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', headers: h.ownerAuth });
    expect(backwards.json().error.details[0].path).toBe('querystring.to');
  });

  it('publishes aggregate statistics only when the policy opts in', async () => {
    expect((await h.app.inject('/p/leher/response-statistics.json')).statusCode).toBe(404);
    await h.app.inject({ method: 'PUT', url: '/api/v1/projects/leher/policy', headers: h.ownerAuth, payload: { policy: `${policy}\npublic_statistics: true\n` } });
    const published = await h.app.inject('/p/leher/response-statistics.json');
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ timeTo: { acknowledge: { medianHours: 20 } }, sla: { acknowledgement: 0.667 } });
    expect(published.json().byState).toBeUndefined();
  });
});
