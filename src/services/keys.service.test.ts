import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_EMAIL, OWNER_PASSWORD, accountsHarness, totpCode } from '../../test/support/accounts.ts';
import { TEST_SERVER_SECRET, buildTestApp, testConfig } from '../../test/support/app.ts';
import { databaseKinds } from '../../test/support/databases.ts';
import { examplePolicyExpiringIn } from '../../test/support/policies.ts';
import { keyIdOf } from '../crypto/envelope.ts';
import type { Db } from '../storage/database.ts';
import { listOutboxEvents } from '../storage/repositories/outbox.repository.ts';
import { loadSealedValues } from '../storage/repositories/sealed-value.repository.ts';
import { sealedColumns, type SealedColumn } from '../storage/sealed-columns.ts';
import { createServiceContext } from './context.ts';
import { encryptionKeyId, keyStatus, reencryptAll, reencryptRows, type ReencryptionResult } from './keys.service.ts';
import { EMAIL_TOPIC, openEmailPayload } from './outbox.service.ts';
import { openMessageBody, sealMessageBody } from './reports/sealing.ts';

const OLD_KEY = testConfig.secrets.encryptionKey;
const NEW_KEY = 'rotation-test-key-one-7Hq2Lm9Xw4Ze1Rt6Yp3Ub8';
const THIRD_KEY = 'rotation-test-key-two-Tr5Ny8Bq1Wm4Xe7Zk0Lp3J';
const FOURTH_KEY = 'rotation-test-key-three-Gs2Io7Eh4Wl9Vd5Kf0Ja';
const MEMBER = 'member@example.org';
const MEMBER_PASSWORD = 'member passphrase that is long';

/** The columns sealed before attachments, OpenPGP keys and triage: each gets data through the app below. */
const seeded = new Set(['app_user.totp_secret', 'app_user.totp_pending_secret', 'jwt_signing_key.private_jwk', 'outbox_event.payload', 'report.title_sealed', 'report.fields_sealed', 'report.contact_sealed', 'report.credit_name_sealed', 'report_message.body_sealed', 'idempotency_record.response_sealed']);

const submission = {
  title: 'Stored XSS in the project name',
  description: 'ROTATION-CANARY: a project name is rendered without escaping.',
  steps_to_reproduce: '1. Name a project <script>alert(1)</script>',
  impact: 'Script runs in every team member’s browser',
  affected_versions: { versions: [{ version: '1.4.0' }] },
  contact: { email: 'finder@example.net' },
  credit: { mode: 'named' as const, name: 'Finder Person' },
};

async function sealedValues(db: Db, column: SealedColumn): Promise<Array<string | Buffer>> {
  const { rows } = await sql<{ value: string | Uint8Array }>`select ${sql.id(column.column)} as value from ${sql.table(column.table)} where ${sql.id(column.column)} is not null`.execute(db);
  return rows.map((row) => (typeof row.value === 'string' ? row.value : Buffer.from(row.value)));
}

const total = (result: ReencryptionResult, name: 'current' | 'reencrypted' | 'changed' | 'unreadable') => result.columns.reduce((sum, c) => sum + c[name], 0);

describe.each(databaseKinds)('data-at-rest key rotation on %s', (kind) => {
  let h: Awaited<ReturnType<typeof accountsHarness>>;
  let receipt: { id: string; followUpToken: string };
  let memberPendingSecret: string;
  let ownerTotpSecret: string;
  const idempotencyKey = { 'idempotency-key': `rotation-${kind}` };
  const contextWith = (keys: [string, ...string[]]) =>
    createServiceContext({ ...testConfig, secrets: { serverSecret: TEST_SERVER_SECRET, encryptionKey: keys[0], previousEncryptionKeys: keys.slice(1) } }, h.database.db, h.now);
  const allValues = async () => (await Promise.all(sealedColumns.map((c) => sealedValues(h.database.db, c)))).flat();

  beforeAll(async () => {
    h = await accountsHarness(kind, { start: new Date() });
    const inject = h.app.inject.bind(h.app);
    await inject({ method: 'POST', url: '/api/v1/projects', headers: h.ownerAuth, payload: { policy: (await examplePolicyExpiringIn('leher')).text } });
    receipt = (await inject({ method: 'POST', url: '/api/v1/projects/leher/reports', headers: idempotencyKey, payload: submission })).json();
    await inject({ method: 'POST', url: '/api/v1/portal/messages', headers: { authorization: `Bearer ${receipt.followUpToken}` }, payload: { body: 'ROTATION-CANARY: any news?' } });
    ownerTotpSecret = (await h.enrolTotp((await h.browserLogin(OWNER_EMAIL, OWNER_PASSWORD)).headers, OWNER_PASSWORD)).secret;
    await inject({ method: 'POST', url: '/api/v1/invitations', headers: h.ownerAuth, payload: { email: MEMBER, role: 'member' } });
    await inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token: await h.linkToken(MEMBER, '/invitation#token='), password: MEMBER_PASSWORD } });
    const memberSession = await h.browserLogin(MEMBER, MEMBER_PASSWORD);
    memberPendingSecret = (await inject({ method: 'POST', url: '/api/v1/account/mfa/totp', headers: memberSession.headers, payload: { currentPassword: MEMBER_PASSWORD } })).json().secret;
    expect((await h.login(MEMBER, MEMBER_PASSWORD, 'api')).statusCode).toBe(200);
  });
  afterAll(() => h?.close());

  it('starts with a value in every sealed column, all under the one key', async () => {
    const oldId = encryptionKeyId(OLD_KEY);
    const status = await keyStatus(contextWith([OLD_KEY]));
    for (const column of status.columns.filter((c) => seeded.has(`${c.table}.${c.column}`))) expect(column.byKey[oldId], `${column.table}.${column.column}`).toBeGreaterThan(0);
    expect(status.keys).toEqual([{ id: oldId, active: true, inKeyring: true, values: (await allValues()).length }]);
  });

  it('re-encrypts every sealed value under the new active key', async () => {
    const count = (await allValues()).length;
    const result = await reencryptAll(contextWith([NEW_KEY, OLD_KEY]));
    expect(result).toMatchObject({ activeKeyId: encryptionKeyId(NEW_KEY), dryRun: false, complete: true });
    expect([total(result, 'reencrypted'), total(result, 'changed'), total(result, 'unreadable')]).toEqual([count, 0, 0]);
    for (const value of await allValues()) expect(keyIdOf(value)).toBe(encryptionKeyId(NEW_KEY));

    const audit = await h.database.db.selectFrom('audit_log').select(['details', 'outcome']).where('action', '=', 'keys.reencrypted').execute();
    expect(audit).toEqual([{ outcome: 'success', details: expect.objectContaining({ activeKeyId: encryptionKeyId(NEW_KEY), complete: true, reencrypted: count }) }]);
    for (const key of [OLD_KEY, NEW_KEY]) expect(JSON.stringify(audit)).not.toContain(key);
  });

  it('reads everything through the API with only the new key', async () => {
    const app = await buildTestApp(h.database, { now: h.now, config: { secrets: { serverSecret: TEST_SERVER_SECRET, encryptionKey: NEW_KEY, previousEncryptionKeys: [] } } });
    try {
      const report = await app.inject({ url: `/api/v1/reports/${receipt.id}`, headers: h.ownerAuth });
      expect(report.json()).toMatchObject({ title: submission.title, content: { description: submission.description }, contact: { email: 'finder@example.net' }, credit: { name: 'Finder Person' }, messages: [{ body: 'ROTATION-CANARY: any news?' }] });
      expect((await app.inject({ url: '/api/v1/portal/report', headers: { authorization: `Bearer ${receipt.followUpToken}` } })).json()).toMatchObject({ title: submission.title });
      const retry = await app.inject({ method: 'POST', url: '/api/v1/projects/leher/reports', headers: idempotencyKey, payload: submission });
      expect([retry.statusCode, retry.json()]).toEqual([200, receipt]);

      const challenge = (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: OWNER_EMAIL, password: OWNER_PASSWORD, mode: 'browser' } })).json().challenge;
      h.advance(30_000);
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login/mfa', payload: { challenge, code: totpCode(ownerTotpSecret, h.now()) } })).statusCode).toBe(200);

      const memberLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: MEMBER, password: MEMBER_PASSWORD, mode: 'api' } });
      const bearer = { authorization: `Bearer ${memberLogin.json().accessToken}` };
      expect((await app.inject({ url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);
      const confirm = await app.inject({ method: 'POST', url: '/api/v1/account/mfa/totp/confirm', headers: bearer, payload: { code: totpCode(memberPendingSecret, h.now()) } });
      expect(confirm.statusCode, confirm.body).toBe(200);
    } finally {
      await app.close();
    }
    const newOnly = contextWith([NEW_KEY]);
    for (const event of await listOutboxEvents(h.database.db, EMAIL_TOPIC)) expect(openEmailPayload(newOnly, event).to).toMatch(/@example\.org$/);
  });

  it('resumes an interrupted re-encryption without redoing finished batches', async () => {
    const ctx = contextWith([THIRD_KEY, NEW_KEY, OLD_KEY]);
    const count = (await allValues()).length;
    const dryRun = await reencryptAll(ctx, { dryRun: true });
    expect([dryRun.dryRun, total(dryRun, 'reencrypted')]).toEqual([true, count]);

    const controller = new AbortController();
    const first = await reencryptAll(ctx, { batchSize: 2, signal: controller.signal, onBatch: () => controller.abort() });
    expect(first.complete).toBe(false);
    const doneFirst = total(first, 'reencrypted');
    expect(doneFirst).toBeGreaterThan(0);
    const rewritten = (await allValues()).filter((value) => keyIdOf(value) === encryptionKeyId(THIRD_KEY));
    expect(rewritten).toHaveLength(doneFirst);

    const second = await reencryptAll(ctx, { batchSize: 2 });
    expect(second.complete).toBe(true);
    expect([total(second, 'reencrypted'), total(second, 'current'), total(second, 'unreadable')]).toEqual([count - doneFirst, doneFirst, 0]);
    const after = await allValues();
    expect(after.every((value) => keyIdOf(value) === encryptionKeyId(THIRD_KEY))).toBe(true);
    // Values done by the first run were not touched again (a rewrite would draw a new nonce).
    for (const value of rewritten) expect(after).toContainEqual(value);
  });

  it('leaves a value alone when a writer changed it between read and write', async () => {
    const column = sealedColumns.find((c) => c.table === 'report_message' && c.column === 'body_sealed')!;
    const [message] = await h.database.db.selectFrom('report_message').select('id').where('report_id', '=', receipt.id).execute();
    const read = await loadSealedValues(h.database.db, column, [{ id: message!.id }]);
    const concurrent = sealMessageBody(contextWith([THIRD_KEY]), message!.id, 'edited meanwhile');
    await h.database.db.updateTable('report_message').set({ body_sealed: concurrent }).where('id', '=', message!.id).execute();

    const ctx = contextWith([FOURTH_KEY, THIRD_KEY]);
    expect(await reencryptRows(ctx, column, read)).toEqual({ reencrypted: 0, changed: 1, unreadable: 0 });
    const stored = await h.database.db.selectFrom('report_message').select('body_sealed').where('id', '=', message!.id).executeTakeFirstOrThrow();
    expect(stored.body_sealed).toBe(concurrent);

    // The next run picks the writer's value up like any other.
    await reencryptAll(ctx, { columns: [column] });
    const rewritten = await h.database.db.selectFrom('report_message').select('body_sealed').where('id', '=', message!.id).executeTakeFirstOrThrow();
    expect(openMessageBody(contextWith([FOURTH_KEY]), message!.id, rewritten.body_sealed)).toBe('edited meanwhile');
  });
});
