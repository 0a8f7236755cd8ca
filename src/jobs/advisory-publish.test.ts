import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../test/support/advisories.ts';
import { testContext } from '../../test/support/app.ts';
import { databaseKinds } from '../../test/support/databases.ts';
import { publishDueAdvisories } from '../services/advisories/lifecycle.service.ts';
import { startJobRunner } from './job-runner.ts';

const HOUR = 3_600_000;

describe.each(databaseKinds)('scheduled advisory publication on %s', (kind) => {
  let h: AdvisoryHarness;
  let reportId: string;
  let id: string;
  const ctx = () => testContext(h.database, h.now);
  const state = async () => (await h.database.db.selectFrom('advisory').select(['state', 'published_at', 'revision']).where('advisory_id', '=', id).executeTakeFirstOrThrow());
  const count = async (table: 'advisory_revision' | 'outbox_event' | 'audit_log') => {
    if (table === 'advisory_revision') return (await h.database.db.selectFrom('advisory_revision').select('id').execute()).length;
    if (table === 'outbox_event') return (await h.database.db.selectFrom('outbox_event').select('id').where('topic', '=', 'advisory.published').execute()).length;
    return (await h.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'advisory.published').execute()).length;
  };

  beforeAll(async () => {
    h = await advisoryHarness(kind);
    reportId = (await h.acceptedReport('payqi', { mode: 'named', name: 'Ada Researcher' })).id;
    id = await h.draft('payqi', { ...advisoryBody, reportIds: [reportId] });
    const scheduled = await h.call('POST', `/api/v1/advisories/${id}/schedule`, { at: new Date(h.now().getTime() + 2 * HOUR).toISOString() });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
  });
  afterAll(() => h?.close());

  it('does not publish before its time', async () => {
    h.advance(HOUR);
    expect(await publishDueAdvisories(ctx())).toEqual({ published: [], failed: [] });
    expect((await state()).state).toBe('scheduled');
  });

  it('publishes exactly once at its time, across runs and a runner restart', async () => {
    h.advance(HOUR + 60_000);
    let runner = await startJobRunner(h.database, ctx(), { schedule: false });
    await runner.requestAdvisoryPublication();
    await runner.requestAdvisoryPublication();
    await waitFor(async () => (await state()).state === 'published');
    await runner.stop();

    runner = await startJobRunner(h.database, ctx(), { schedule: false });
    await runner.requestAdvisoryPublication();
    await publishDueAdvisories(ctx());
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the queued run happen too
    await runner.stop();

    expect(await state()).toMatchObject({ state: 'published', revision: 1 });
    expect(await count('advisory_revision')).toBe(1);
    expect(await count('outbox_event')).toBe(1);
    expect(await count('audit_log')).toBe(1);
    const report = await h.database.db.selectFrom('report').select('state').where('id', '=', reportId).executeTakeFirstOrThrow();
    expect(report.state).toBe('disclosed');
  });

  it('puts an advisory back to draft, once, when a reporter withdrew consent before its time', async () => {
    const other = await h.acceptedReport('payqi', { mode: 'named', name: 'Grace Finder' });
    const draft = await h.draft('payqi', { ...advisoryBody, reportIds: [other.id] });
    await h.call('POST', `/api/v1/advisories/${draft}/schedule`, { at: new Date(h.now().getTime() + HOUR).toISOString() });
    const changed = await h.app.inject({ method: 'PUT', url: '/api/v1/portal/credit', headers: other.reporter, payload: { mode: 'anonymous' } });
    expect(changed.statusCode, changed.body).toBeLessThan(300);
    h.advance(2 * HOUR);
    expect(await publishDueAdvisories(ctx())).toEqual({ published: [], failed: [draft] });
    expect(await publishDueAdvisories(ctx())).toEqual({ published: [], failed: [] });
    const row = await h.database.db.selectFrom('advisory').select('state').where('advisory_id', '=', draft).executeTakeFirstOrThrow();
    expect(row.state).toBe('draft');
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
