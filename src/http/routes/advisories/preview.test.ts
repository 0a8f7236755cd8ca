import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryBody, advisoryHarness, type AdvisoryHarness } from '../../../../test/support/advisories.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';

describe.each(databaseKinds)('advisory preview (the editor\'s live check) on %s', (kind) => {
  let h: AdvisoryHarness;
  const preview = (body: object, slug = 'payqi') => h.call('POST', `/api/v1/projects/${slug}/advisories/preview`, body);

  beforeAll(async () => {
    h = await advisoryHarness(kind, ['payqi', 'leher']);
  });
  afterAll(() => h?.close());

  it('renders valid content to OSV, CSAF and CVE and reports each valid, with the details as sanitised HTML', async () => {
    const response = await preview({ content: { ...advisoryBody, cveId: 'CVE-2026-12345', details: 'Upgrade. [x](javascript:alert(1)) <script>alert(1)</script>' } });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json();
    expect(result.content).toEqual({ valid: true, errors: [] });
    expect(result.severity).toMatchObject({ rating: 'high', cvss31: { score: 7.5 } });
    expect(result.formats.osv).toEqual({ valid: true, errors: [], warnings: [] });
    expect(result.formats.csaf).toMatchObject({ valid: true, errors: [] });
    expect(result.formats.cve).toMatchObject({ applicable: true, valid: true, errors: [] });
    expect(result.detailsHtml).toContain('Upgrade.');
    expect(result.detailsHtml).not.toMatch(/javascript:|<script/i);
  });

  it('says there is no CVE record to check without a CVE id, and names what a format refuses', async () => {
    const result = (await preview({ content: { ...advisoryBody, affected: [] } })).json();
    expect(result.content.valid).toBe(true);
    expect(result.formats.cve).toMatchObject({ applicable: false, errors: [] });
    expect(result.formats.csaf.valid).toBe(false);
    expect(result.formats.csaf.errors.length).toBeGreaterThan(0);
  });

  it('returns content problems with field paths instead of refusing the request, and checks no format then', async () => {
    const response = await preview({ content: { title: 'T', summary: 'S', severity: { cvss31: 'CVSS:3.1/AV:X' } } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ content: { valid: false }, formats: null });
    expect(response.json().content.errors[0]).toMatchObject({ path: 'content.severity.cvss31', message: expect.stringContaining('AV:X') });
    const missing = (await preview({ content: { summary: 'S' } })).json();
    expect(missing.content.errors).toEqual([expect.objectContaining({ path: 'content.title' })]);
  });

  it('checks credit consent against the reports the draft will link', async () => {
    const anonymous = await h.acceptedReport('payqi', { mode: 'anonymous' });
    const result = (await preview({ content: { ...advisoryBody, credits: [{ name: 'Someone', type: 'REPORTER' }] }, reportIds: [anonymous.id] })).json();
    expect(result.content.errors).toEqual([expect.objectContaining({ path: 'content.credits[0].name' })]);
  });

  it('previews an existing advisory under its own id, and only in its own project', async () => {
    const id = await h.draft('payqi', advisoryBody);
    const own = await preview({ content: advisoryBody, advisoryId: id });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().formats.osv.valid).toBe(true);
    const elsewhere = await preview({ content: advisoryBody, advisoryId: id }, 'leher');
    expect(elsewhere.statusCode).toBe(404);
  });

  it('stores nothing', async () => {
    const before = await h.database.db.selectFrom('advisory').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    await preview({ content: advisoryBody });
    const after = await h.database.db.selectFrom('advisory').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
