import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsHarness } from '../../../../test/support/accounts.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../../../test/support/policies.ts';
import { CANARY, validReport } from '../../../../test/support/reports.ts';
import { buildTestApp, testConfig, testContext } from '../../../../test/support/app.ts';
import { EnvelopeError } from '../../../crypto/envelope.ts';
import { openReport } from '../../../services/reports/report-view.ts';

describe.each(databaseKinds)('private report intake on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  const submit = (payload: object, headers: Record<string, string> = {}, slug = 'leher') =>
    h.app.inject({ method: 'POST', url: `/api/v1/projects/${slug}/reports`, headers, payload });
  const countReports = async () => (await h.database.db.selectFrom('report').select('id').execute()).length;

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    for (const name of ['leher', 'payqi']) await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn(name)).text } });
  });
  afterAll(() => h?.close());

  it('takes a report without an account and returns a receipt with a follow-up token', async () => {
    const response = await submit(validReport);
    expect(response.statusCode, response.body).toBe(201);
    const receipt = response.json();
    expect(receipt).toMatchObject({ status: 'received', versionStatus: 'supported', humanId: expect.stringMatching(/^LEHER-\d{4}-0001$/) });
    expect(receipt.followUpToken).toMatch(/^emb_rep_[A-Za-z0-9_-]{43}$/);
    expect(receipt.followUpUrl).toBe(`https://embargo.test/portal#token=${receipt.followUpToken}`);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('numbers reports per project and year', async () => {
    const second = (await submit(validReport)).json();
    expect(second.humanId).toMatch(/^LEHER-\d{4}-0002$/);
    const other = (await submit({ ...validReport, affected_versions: undefined, contact: undefined }, {}, 'payqi')).json();
    expect(other.humanId).toMatch(/^PAYQI-\d{4}-0001$/);
  });

  it('records whether the affected version is supported', async () => {
    const old = await submit({ ...validReport, affected_versions: { versions: [{ version: '0.9.1' }] } });
    expect(old.json().versionStatus).toBe('unsupported');
    const unknown = await submit({ ...validReport, affected_versions: { text: 'the one from last week' } });
    expect(unknown.json().versionStatus).toBe('unknown');
  });

  it('refuses what the policy requires but is missing, with field paths, and stores nothing', async () => {
    const before = await countReports();
    // Leher requires steps to reproduce, impact and affected versions.
    const response = await submit({ title: 'x', description: 'y' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.affected_versions', 'body.impact', 'body.steps_to_reproduce']);
    expect(await countReports()).toBe(before);
  });

  it('refuses malformed, oversized and wrongly typed input with coded errors and stores nothing', async () => {
    const before = await countReports();
    const wrongType = await submit({ ...validReport, title: 42 });
    expect(wrongType.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: 'body.title' }] });
    const unknownField = await submit({ ...validReport, admin: true });
    expect(unknownField.statusCode).toBe(400);
    const huge = await submit({ ...validReport, description: 'x'.repeat(600 * 1024) });
    expect(huge.statusCode).toBe(413);
    const tooLong = await submit({ ...validReport, description: 'x'.repeat(50_001) });
    expect(tooLong.json().error.details[0].path).toBe('body.description');
    const badEmail = await submit({ ...validReport, contact: { email: 'not-an-email' } });
    expect(badEmail.json().error.details[0].path).toBe('body.contact.email');
    const malformed = await h.app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', headers: { 'content-type': 'application/json' }, payload: '{"title":' });
    expect(malformed.json().error.code).toBe('validation_failed');
    const noProject = await submit(validReport, {}, 'no-such-project');
    expect(noProject.statusCode).toBe(404);
    expect(await countReports()).toBe(before);
  });

  it('returns the same receipt for a retried submission with the same Idempotency-Key', async () => {
    const before = await countReports();
    const key = { 'idempotency-key': `retry-${kind}-0001` };
    const first = await submit(validReport, key);
    const retry = await submit(validReport, key);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await countReports()).toBe(before + 1);
    const different = await submit({ ...validReport, title: 'Another one' }, key);
    expect(different.statusCode).toBe(409);
  });

  it('creates one report when identical retries race', async () => {
    const before = await countReports();
    const key = { 'idempotency-key': `race-${kind}-0001` };
    const responses = await Promise.all(Array.from({ length: 5 }, () => submit(validReport, key)));
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(1);
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(await countReports()).toBe(before + 1);
  });

  it('stores no plaintext of what the reporter wrote', async () => {
    const rows = await h.database.db.selectFrom('report').selectAll().execute();
    const dump = JSON.stringify(rows) + JSON.stringify(await h.database.db.selectFrom('idempotency_record').selectAll().execute());
    for (const secret of [CANARY, 'researcher@example.net', 'Ada Researcher', 'Path traversal', '../../etc/passwd']) expect(dump).not.toContain(secret);
  });

  it('refuses to open a sealed value copied from one report into another', async () => {
    const [a, b] = await h.database.db.selectFrom('report').selectAll().orderBy('created_at').limit(2).execute();
    const ctx = testContext(h.database);
    expect(openReport(ctx, b!).title).toBeTruthy();
    await h.database.db.updateTable('report').set({ fields_sealed: a!.fields_sealed }).where('id', '=', b!.id).execute();
    const tampered = (await h.database.db.selectFrom('report').selectAll().where('id', '=', b!.id).executeTakeFirstOrThrow());
    expect(() => openReport(ctx, tampered)).toThrow(EnvelopeError);
    const response = await h.app.inject({ url: `/api/v1/reports/${b!.id}`, headers: h.ownerAuth });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('internal_error');
    await h.database.db.updateTable('report').set({ fields_sealed: b!.fields_sealed }).where('id', '=', b!.id).execute();
  });

  it('commits the audit entry and outbox event with the report', async () => {
    const receipt = (await submit(validReport)).json();
    const audit = await h.database.db.selectFrom('audit_log').select(['action', 'object_id']).where('object_id', '=', receipt.id).execute();
    expect(audit.map((a) => a.action)).toContain('report.received');
    const events = await h.database.db.selectFrom('outbox_event').select('topic').where('topic', '=', 'report.received').execute();
    expect(events.length).toBe(await countReports());
  });
});

describe('intake rate limits', () => {
  it('answers 429 with Retry-After per address and per project', async () => {
    const h = await accountsHarness('pglite', { start: new Date() });
    await h.app.inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('leher')).text } });
    const limited = await buildTestApp(h.database, { config: { http: { ...testConfig.http, intakeRateLimitPerMinute: 2, intakeProjectRateLimitPerMinute: 4 } } });
    const submit = (ip: string) => limited.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', remoteAddress: ip, payload: validReport });
    expect((await submit('203.0.113.10')).statusCode).toBe(201);
    expect((await submit('203.0.113.10')).statusCode).toBe(201);
    // Refused requests count against the project's budget too: the project limit is checked first.
    const perAddress = await submit('203.0.113.10');
    expect(perAddress.statusCode).toBe(429);
    expect(Number(perAddress.headers['retry-after'])).toBeGreaterThan(0);
    expect((await submit('203.0.113.11')).statusCode).toBe(201);
    const perProject = await submit('203.0.113.12');
    expect(perProject.statusCode).toBe(429);
    expect(perProject.json().error.code).toBe('rate_limited');
    await limited.close();
    await h.close();
  });
});
