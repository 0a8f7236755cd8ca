import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReportById } from '../../storage/repositories/report.repository.ts';
import { advisoryHarness, type AdvisoryHarness } from '../../../test/support/advisories.ts';
import { databaseKinds } from '../../../test/support/databases.ts';
import { validReport } from '../../../test/support/reports.ts';
import { refreshDueSummary } from './report-clocks.ts';

// Intake computes a new report's inbox columns before inserting it instead of reading it back (a shorter
// locked section); they must be exactly what a refresh from the stored report and its events gives.
describe.each(databaseKinds)('inbox columns at intake (%s)', (kind) => {
  let h: AdvisoryHarness;
  beforeAll(async () => {
    h = await advisoryHarness(kind);
  });
  afterAll(() => h.close());

  it('stores the deadline and clock status a refresh computes', async () => {
    const submitted = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
    expect(submitted.statusCode).toBe(201);
    const stored = (await findReportById(h.database.db, submitted.json().id))!;
    expect(stored.next_due_at).not.toBeNull();
    expect(stored.clock_status).toBe('on_track');

    await refreshDueSummary(h.database.db, stored, h.now());
    const refreshed = (await findReportById(h.database.db, stored.id))!;
    expect(refreshed.next_due_at).toEqual(stored.next_due_at);
    expect(refreshed.clock_status).toBe(stored.clock_status);
  });
});
