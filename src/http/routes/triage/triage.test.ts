import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';

const HOUR = 3_600_000;
type ClockView = { name: string; status: { kind: string; dueAt?: string; earlyBySeconds?: number; bySeconds?: number } };

describe.each(databaseKinds)('triage over HTTP on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let reportId: string;
  let reporter: { authorization: string };

  const act = (body: object) => h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/actions`, headers: h.ownerAuth, payload: body });
  const clocks = async () => {
    const response = await h.app.inject({ url: `/api/v1/reports/${reportId}/clocks`, headers: h.ownerAuth });
    return Object.fromEntries((response.json().clocks as ClockView[]).map((c) => [c.name, c.status])) as Record<'acknowledgement' | 'initial_assessment' | 'status_update' | 'fix' | 'disclosure', ClockView['status']>;
  };

  beforeAll(async () => {
    // Monday 2026-11-23 09:00 UTC; Leher: acknowledge in 48 h, assess in 5 business days.
    h = await accountsHarness(kind, { start: new Date('2026-11-23T09:00:00Z') });
    const policy = (await examplePolicyExpiringIn('leher', 190, h.now())).text;
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy } });
    const receipt = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { title: 'SSRF', description: 'd', steps_to_reproduce: 's', impact: 'i', affected_versions: { versions: [{ version: '1.2.0' }] } } })).json();
    reportId = receipt.id;
    reporter = { authorization: `Bearer ${receipt.followUpToken}` };
  });
  afterAll(() => h?.close());

  it('starts the acknowledgement and assessment clocks at receipt', async () => {
    const c = await clocks();
    expect(c.acknowledgement).toMatchObject({ kind: 'on_track', dueAt: '2026-11-25T09:00:00.000Z' });
    expect(c.initial_assessment).toMatchObject({ kind: 'on_track', dueAt: '2026-11-30T09:00:00.000Z' });
  });

  it('refuses illegal transitions with a coded 409 and changes nothing', async () => {
    const response = await act({ type: 'mark_fixed' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('illegal_transition');
    const unknown = await act({ type: 'explode' });
    expect(unknown.statusCode).toBe(400);
    expect((await h.app.inject({ url: '/api/v1/portal/report', headers: reporter })).json().status).toBe('received');
  });

  it('meets the acknowledgement clock and tells the reporter in plain words', async () => {
    h.advance(20 * HOUR);
    const response = await act({ type: 'acknowledge' });
    expect(response.json().state).toBe('acknowledged');
    expect((await clocks()).acknowledgement).toMatchObject({ kind: 'met', earlyBySeconds: 28 * 3600 });
    const thread = (await h.app.inject({ url: '/api/v1/portal/report', headers: reporter })).json().messages;
    expect(thread.at(-1)).toMatchObject({ author: 'system', body: expect.stringMatching(/acknowledged your report/) });
  });

  it('pauses while waiting on the reporter and resumes with the waiting time added', async () => {
    const asked = await act({ type: 'request_info', reason: 'Which deployment mode?' });
    expect(asked.json().state).toBe('needs_info');
    expect((await clocks()).initial_assessment.kind).toBe('paused');
    h.advance(48 * HOUR);
    const answered = await h.app.inject({ method: 'POST', url: '/api/v1/portal/info-provided', headers: reporter });
    expect(answered.json().state).toBe('acknowledged');
    // Due Monday 30th 09:00 plus the 48 hours waited: Wednesday 2 December 09:00.
    expect((await clocks()).initial_assessment).toMatchObject({ kind: 'on_track', dueAt: '2026-12-02T09:00:00.000Z' });
  });

  it('refuses an incomplete or malformed CVSS vector and scores a complete one', async () => {
    const incomplete = await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${reportId}/assessment`, headers: h.ownerAuth, payload: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H' } });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().error.details[0]).toMatchObject({ path: 'body.cvss31', message: expect.stringMatching(/missing base metric A/) });
    const malformed = await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${reportId}/assessment`, headers: h.ownerAuth, payload: { cvss40: 'garbage' } });
    expect(malformed.json().error.details[0].path).toBe('body.cvss40');
    const scored = await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${reportId}/assessment`, headers: h.ownerAuth, payload: { cvss31: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N', cweIds: ['CWE-918'], labels: ['ssrf'] } });
    expect(scored.json()).toMatchObject({ severity: 'high', cvss31: 8.2 });
    const noReason = await h.app.inject({ method: 'PATCH', url: `/api/v1/reports/${reportId}/assessment`, headers: h.ownerAuth, payload: { severityOverride: { severity: 'critical' } } });
    expect(noReason.json().error.details[0].path).toBe('body.severityOverride.reason');
  });

  it('breaches the assessment clock when the deadline passes, then records it as met late', async () => {
    h.advance(7 * 24 * HOUR);
    expect((await clocks()).initial_assessment).toMatchObject({ kind: 'breached' });
    await act({ type: 'accept' });
    expect((await clocks()).initial_assessment).toMatchObject({ kind: 'breached', bySeconds: expect.any(Number) });
  });

  it('negotiates the disclosure date: proposed, countered, agreed, and extended with a reason', async () => {
    const team = await h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/disclosure/proposals`, headers: h.ownerAuth, payload: { discloseAt: '2027-01-15T09:00:00+01:00', timezone: 'Europe/Berlin' } });
    expect(team.json()).toMatchObject({ kind: 'initial', status: 'open' });
    const ownAnswer = await h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/disclosure/proposals/${team.json().id}/answer`, headers: h.ownerAuth, payload: { decision: 'accept' } });
    expect(ownAnswer.statusCode).toBe(403);

    const counter = await h.app.inject({ method: 'POST', url: '/api/v1/portal/disclosure/proposals', headers: reporter, payload: { discloseAt: '2027-01-08T09:00:00+01:00', timezone: 'Europe/Berlin', reason: 'I present at a conference that week' } });
    expect(counter.json()).toMatchObject({ kind: 'counter', status: 'open' });
    const agreed = await h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/disclosure/proposals/${counter.json().id}/answer`, headers: h.ownerAuth, payload: { decision: 'accept' } });
    expect(agreed.json()).toEqual({ status: 'accepted' });

    const state = (await h.app.inject({ url: '/api/v1/portal/disclosure', headers: reporter })).json();
    expect(state.agreed).toEqual({ at: '2027-01-08T08:00:00.000Z', timezone: 'Europe/Berlin' });
    expect(state.proposals.map((p: { proposedBy: string; status: string }) => `${p.proposedBy}:${p.status}`)).toEqual(['team:superseded', 'reporter:accepted']);
    expect((await clocks()).disclosure).toMatchObject({ kind: 'on_track', dueAt: '2027-01-08T08:00:00.000Z' });

    const noReason = await h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/disclosure/proposals`, headers: h.ownerAuth, payload: { discloseAt: '2027-01-20T09:00:00+01:00', timezone: 'Europe/Berlin' } });
    expect(noReason.json().error.details[0].path).toBe('body.reason');
    const extension = await h.app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/disclosure/proposals`, headers: h.ownerAuth, payload: { discloseAt: '2027-01-20T09:00:00+01:00', timezone: 'Europe/Berlin', reason: 'The fix needs a database migration' } });
    expect(extension.json()).toMatchObject({ kind: 'extension', status: 'open' });
    // Not moved until the reporter agrees.
    expect((await h.app.inject({ url: '/api/v1/portal/disclosure', headers: reporter })).json().agreed.at).toBe('2027-01-08T08:00:00.000Z');
    await h.app.inject({ method: 'POST', url: `/api/v1/portal/disclosure/proposals/${extension.json().id}/answer`, headers: reporter, payload: { decision: 'accept' } });
    expect((await h.app.inject({ url: '/api/v1/portal/disclosure', headers: reporter })).json().agreed.at).toBe('2027-01-20T08:00:00.000Z');
    const thread = (await h.app.inject({ url: '/api/v1/portal/report', headers: reporter })).json().messages.map((m: { body: string }) => m.body).join('\n');
    expect(thread).toMatch(/extend the embargo to .*2027.*The fix needs a database migration/);
  });

  it('goes through fix, disclosure and closure, and refuses to reopen without a reason', async () => {
    for (const [type, state] of [['start_fix', 'fix_in_progress'], ['mark_fixed', 'fixed'], ['disclose', 'disclosed']] as const) {
      const response = await act({ type });
      expect(response.json().state, response.body).toBe(state);
    }
    expect((await clocks()).disclosure.kind).toBe('met');
    expect((await act({ type: 'close', resolution: 'spam' })).json().error.details[0].path).toBe('body.resolution');
    expect((await act({ type: 'close', resolution: 'resolved' })).json().state).toBe('closed');
    expect((await act({ type: 'reopen' })).statusCode).toBe(400);
    expect((await act({ type: 'reopen', reason: 'Regression in 1.3' })).json().state).toBe('acknowledged');
  });

  it('closes a duplicate only with a link to the original in the same project', async () => {
    const other = (await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', payload: { title: 'SSRF again', description: 'd', steps_to_reproduce: 's', impact: 'i', affected_versions: { text: 'x' } } })).json();
    const url = `/api/v1/reports/${other.id}/actions`;
    const bad = await h.app.inject({ method: 'POST', url, headers: h.ownerAuth, payload: { type: 'close', resolution: 'duplicate', duplicateOf: 'LEHER-1999-0001' } });
    expect(bad.json().error.details[0].path).toBe('body.duplicateOf');
    const humanId = (await h.app.inject({ url: `/api/v1/reports/${reportId}`, headers: h.ownerAuth })).json().humanId;
    const ok = await h.app.inject({ method: 'POST', url, headers: h.ownerAuth, payload: { type: 'close', resolution: 'duplicate', duplicateOf: humanId } });
    expect(ok.json()).toMatchObject({ state: 'closed', resolution: 'duplicate' });
  });
});
