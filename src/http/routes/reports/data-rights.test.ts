import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { generateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryHarness, type AdvisoryHarness } from '../../../../test/support/advisories.ts';
import { testContext } from '../../../../test/support/app.ts';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { validReport } from '../../../../test/support/reports.ts';
import { verifyAudit } from '../../../services/audit.service.ts';
import { enqueueEmail, EMAIL_TOPIC, openEmailPayload } from '../../../services/outbox.service.ts';
import { listOutboxEvents } from '../../../storage/repositories/outbox.repository.ts';
import { fanOutWebhookEvents } from '../../../services/webhooks/fan-out.ts';

const EMAIL = validReport.contact.email;
const NAME = validReport.credit.name;

describe.each(databaseKinds)('reporter data rights on %s', (kind) => {
  let h: AdvisoryHarness;
  beforeAll(async () => {
    h = await advisoryHarness(kind);
  });
  afterAll(() => h.close());

  async function submit() {
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: validReport });
    expect(response.statusCode, response.body).toBe(201);
    const { id, followUpToken } = response.json();
    return { id: id as string, reporter: { authorization: `Bearer ${followUpToken}` } };
  }

  it('exports everything held about the reporter, to the reporter and to a project admin, and audits each export', async () => {
    const { id, reporter } = await submit();
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/portal/messages', headers: reporter, payload: { body: 'Any news?' } })).statusCode).toBe(201);
    expect((await h.call('POST', `/api/v1/reports/${id}/messages`, { body: 'internal only', visibility: 'internal' })).statusCode).toBe(201);

    const own = await h.app.inject({ method: 'GET', url: '/api/v1/portal/data', headers: reporter });
    expect(own.statusCode, own.body).toBe(200);
    const data = own.json();
    expect(data.report).toMatchObject({ id, project: 'payqi', title: validReport.title, content: { description: validReport.description } });
    expect(data.personalData.contact).toEqual({ email: EMAIL, uri: null, publicKey: null });
    expect(data.personalData.credit).toEqual({ mode: 'named', name: NAME });
    expect(data.personalData.followUpTokens).toEqual([{ createdAt: expect.any(String), revokedAt: null, revokedReason: null }]);
    expect(data.personalData.activity.map((a: { action: string }) => a.action)).toEqual(['report.received', 'report.message.posted']);
    expect(data.personalData.activity[0]).toMatchObject({ ip: '127.0.0.1', userAgent: 'lightMyRequest' });
    expect(data.messages.map((m: { body: string }) => m.body)).toEqual(['Any news?']);
    expect(JSON.stringify(data)).not.toContain('token_hash');

    const byTeam = await h.call('GET', `/api/v1/reports/${id}/reporter-data`);
    expect(byTeam.statusCode, byTeam.body).toBe(200);
    expect(byTeam.json().personalData.contact.email).toBe(EMAIL);
    // The reporter's own export shows up in their activity the next time.
    expect(byTeam.json().personalData.activity.at(-1).action).toBe('report.reporter_data.exported');

    const entries = await sql<{ actor_type: string; details: { by: string } }>`select actor_type, details from audit_log where action = 'report.reporter_data.exported' and object_id = ${id} order by seq`.execute(h.database.db);
    expect(entries.rows.map((r) => [r.actor_type, r.details.by])).toEqual([
      ['reporter', 'reporter'],
      ['api_token', 'team'],
    ]);
  });

  it("erases the reporter's identity on their own request, ends their token, redacts mail to them, and keeps the report and the audit chain", async () => {
    const { id, reporter } = await submit();
    const ctx = testContext(h.database);
    await enqueueEmail(h.database.db, ctx, { to: EMAIL, subject: `Your report ${id}`, text: 'received' });
    await enqueueEmail(h.database.db, ctx, { to: 'someone-else@example.org', subject: 'unrelated', text: 'keep me' });

    const unconfirmed = await h.app.inject({ method: 'POST', url: '/api/v1/portal/data/erase', headers: reporter, payload: {} });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().error.details[0].path).toBe('body.confirm');

    const erased = await h.app.inject({ method: 'POST', url: '/api/v1/portal/data/erase', headers: reporter, payload: { confirm: true } });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ contactErased: true, creditNameErased: true, followUpTokensRevoked: 1, replyAddressesRemoved: 0, emailsRedacted: 1, linkedAdvisories: [] });

    expect((await h.app.inject({ method: 'GET', url: '/api/v1/portal/report', headers: reporter })).statusCode).toBe(401);

    const report = (await h.call('GET', `/api/v1/reports/${id}`)).json();
    expect(report).toMatchObject({ title: validReport.title, content: { description: validReport.description }, contact: null, credit: { mode: 'anonymous', name: null } });

    const mails = (await listOutboxEvents(h.database.db, EMAIL_TOPIC)).map((event) => ({ ...openEmailPayload(ctx, event), parked: event.parked_at !== null }));
    expect(mails.filter((m) => m.to === EMAIL)).toEqual([]);
    expect(mails.find((m) => m.to === 'erased@invalid')).toMatchObject({ text: '', parked: true });
    expect(mails.find((m) => m.to === 'someone-else@example.org')).toMatchObject({ text: 'keep me', parked: false });

    // The audit log never held the contact or the credit name, so nothing there needed rewriting.
    const audit = await sql<{ row: string }>`select row_to_json(a)::text as row from audit_log a`.execute(h.database.db);
    for (const { row } of audit.rows) {
      expect(row).not.toContain(EMAIL);
      expect(row).not.toContain(NAME);
    }
    const erasure = await sql<{ action: string; actor_type: string; details: object }>`select action, actor_type, details from audit_log where object_id = ${id} and action = 'report.reporter_data.erased'`.execute(h.database.db);
    expect(erasure.rows).toEqual([{ action: 'report.reporter_data.erased', actor_type: 'reporter', details: { by: 'reporter', contactErased: true, creditNameErased: true, followUpTokensRevoked: 1, replyAddressesRemoved: 0, emailsRedacted: 1 } }]);
    expect(await verifyAudit(h.database.db, { serverSecret: ctx.serverSecret })).toMatchObject({ ok: true });
  });

  it("erases the reporter's OpenPGP key with their contact: exported before, gone after, and no mail encrypted to it is left to send", async () => {
    const { publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'keyed@example.net' }], format: 'armored' });
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/projects/payqi/reports', payload: { ...validReport, contact: { email: 'keyed@example.net' }, reporter_public_key: publicKey } });
    expect(response.statusCode, response.body).toBe(201);
    const { id, followUpToken } = response.json();
    const reporter = { authorization: `Bearer ${followUpToken}` };
    const before = (await h.app.inject({ method: 'GET', url: '/api/v1/portal/data', headers: reporter })).json();
    expect(before.personalData.contact).toMatchObject({ email: 'keyed@example.net', publicKey: expect.stringContaining('BEGIN PGP PUBLIC KEY BLOCK') });
    // The receipt, encrypted to the key, is queued when the outbox fans the report out.
    const ctx = testContext(h.database);
    await fanOutWebhookEvents(ctx);

    const erased = await h.app.inject({ method: 'POST', url: '/api/v1/portal/data/erase', headers: reporter, payload: { confirm: true } });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ contactErased: true, emailsRedacted: 1 });
    const after = (await h.call('GET', `/api/v1/reports/${id}/reporter-data`)).json();
    expect(after.personalData.contact).toBeNull();
    const waiting = (await listOutboxEvents(h.database.db, EMAIL_TOPIC)).filter((e) => e.delivered_at === null && e.parked_at === null).map((e) => openEmailPayload(ctx, e));
    expect(waiting.filter((m) => m.to === 'keyed@example.net' || m.text.includes('BEGIN PGP MESSAGE'))).toEqual([]);
  });

  it('lets a project admin erase on request; a second erasure finds nothing left', async () => {
    const { id, reporter } = await submit();
    const first = await h.call('POST', `/api/v1/reports/${id}/reporter-data/erase`, { confirm: true });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ contactErased: true, creditNameErased: true, followUpTokensRevoked: 1 });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/portal/data', headers: reporter })).statusCode).toBe(401);

    const again = await h.call('POST', `/api/v1/reports/${id}/reporter-data/erase`, { confirm: true });
    expect(again.json()).toMatchObject({ contactErased: false, creditNameErased: false, followUpTokensRevoked: 0, emailsRedacted: 0 });
    const exported = (await h.call('GET', `/api/v1/reports/${id}/reporter-data`)).json();
    expect(exported.personalData).toMatchObject({ contact: null, credit: { mode: 'anonymous', name: null }, followUpTokens: [{ revokedReason: 'erased' }] });

    expect((await h.call('POST', `/api/v1/reports/${randomUUID()}/reporter-data/erase`, { confirm: true })).statusCode).toBe(404);
  });
});
