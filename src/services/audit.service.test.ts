import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../test/support/databases.ts';
import { buildAuditRecord, GENESIS_HASH } from '../domain/audit/record.ts';
import { sampleAuditEntry } from '../domain/audit/test-fixtures.ts';
import type { OpenDatabase } from '../storage/database.ts';
import { insertAuditRecord, listAuditEntries } from '../storage/repositories/audit.repository.ts';
import { appendAudit, checkpointAudit, exportAudit, verifyAudit } from './audit.service.ts';
import { resetAuditLog } from './audit.test-support.ts';

const serverSecret = 'Wn4xQ8rT2vL6yP0mK3bH7cJ1dF5gS9aZ2eU4iO8uY6t';

async function seqs(database: OpenDatabase): Promise<number[]> {
  return (await listAuditEntries(database.db, { limit: 100_000 })).map((record) => record.seq);
}

describe.each(databaseKinds)('audit log on %s', (kind) => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());
  beforeEach(() => resetAuditLog(database.db));

  it('appends entries that verify, stored exactly as they were hashed', async () => {
    const awkward = sampleAuditEntry(1, { actor: { type: 'user', label: 'Zoë 😀 \u0000 "x"\n' }, details: { big: 2 ** 60, tiny: 1e-7, list: [1.5, 'é', { b: 1, a: 2 }] } });
    await database.db.transaction().execute(async (trx) => {
      await appendAudit(trx, awkward);
      await appendAudit(trx, sampleAuditEntry(2));
    });
    await appendAudit(database.db, sampleAuditEntry(3));

    expect(await verifyAudit(database.db, { serverSecret })).toMatchObject({ ok: true, entries: 3, lastSeq: 3, checkpointsVerified: 0 });
    const [first] = await listAuditEntries(database.db, { limit: 1 });
    expect(first).toMatchObject({ seq: 1, prev_hash: GENESIS_HASH, actor_label: 'Zoë 😀 \uFFFD "x"\n', details: { big: 2 ** 60, tiny: 1e-7, list: [1.5, 'é', { a: 2, b: 1 }] } });
  });

  it('gives concurrent transactions one unbroken chain with seq 1..N', async () => {
    const appenders = Array.from({ length: 20 }, (_, i) =>
      database.db.transaction().execute(async (trx) => {
        await appendAudit(trx, sampleAuditEntry(i));
        // Holding the transaction open a little keeps the others waiting on the lock, not finishing one by one.
        await sql`select pg_sleep(0.01)`.execute(trx);
      }),
    );
    await Promise.all(appenders);
    expect(await seqs(database)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyAudit(database.db, { serverSecret })).toMatchObject({ ok: true, entries: 20 });
  });

  it('leaves neither an entry nor a gap behind a rolled-back transaction', async () => {
    await appendAudit(database.db, sampleAuditEntry(1));
    const failed = await database.db
      .transaction()
      .execute(async (trx) => {
        await appendAudit(trx, sampleAuditEntry(2, { action: 'rolled.back' }));
        throw new Error('the audited change failed');
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    await appendAudit(database.db, sampleAuditEntry(3));
    expect(await seqs(database)).toEqual([1, 2]);
    expect((await listAuditEntries(database.db, { limit: 10 })).map((r) => r.action)).not.toContain('rolled.back');
    expect(await verifyAudit(database.db, { serverSecret })).toMatchObject({ ok: true, entries: 2 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the log and on its checkpoints', async () => {
    await appendAudit(database.db, sampleAuditEntry(1));
    await checkpointAudit(database.db, { serverSecret, now: new Date() });
    for (const statement of [
      sql`update audit_log set actor_label = 'someone else'`,
      sql`delete from audit_log`,
      sql`truncate audit_log`,
      sql`update audit_checkpoint set hash = ${'0'.repeat(64)}`,
      sql`delete from audit_checkpoint`,
    ]) {
      await expect(statement.execute(database.db)).rejects.toThrow(/refused: the audit log is append-only/);
    }
    expect(await verifyAudit(database.db, { serverSecret })).toMatchObject({ ok: true, entries: 1, checkpointsVerified: 1 });
  });

  it('checkpoints the head once, and verifies every checkpoint', async () => {
    const now = new Date('2026-02-01T00:00:00.000Z');
    expect(await checkpointAudit(database.db, { serverSecret, now })).toBeUndefined();
    for (const n of [1, 2, 3]) await appendAudit(database.db, sampleAuditEntry(n));
    const first = await checkpointAudit(database.db, { serverSecret, now });
    expect(first).toMatchObject({ seq: 3, at: now, keyId: expect.stringMatching(/^[0-9a-f]{16}$/), publicKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await checkpointAudit(database.db, { serverSecret, now })).toBeUndefined();
    await appendAudit(database.db, sampleAuditEntry(4));
    expect(await checkpointAudit(database.db, { serverSecret, now })).toMatchObject({ seq: 4 });
    expect(await verifyAudit(database.db, { serverSecret })).toMatchObject({ ok: true, entries: 4, checkpointsVerified: 2 });
  });

  it('walks a log longer than one batch, page by page', async () => {
    let prevHash = GENESIS_HASH;
    const records = Array.from({ length: 2_345 }, (_, i) => {
      const record = buildAuditRecord(sampleAuditEntry(i), { seq: i + 1, id: randomUUID(), prevHash });
      prevHash = record.hash;
      return record;
    });
    await database.db.transaction().execute(async (trx) => {
      for (const record of records) await insertAuditRecord(trx, record);
    });
    await checkpointAudit(database.db, { serverSecret, now: new Date() });
    expect(await verifyAudit(database.db, { serverSecret })).toEqual({ ok: true, entries: 2_345, lastSeq: 2_345, lastHash: prevHash, checkpointsVerified: 1 });
    const exported: number[] = [];
    for await (const record of exportAudit(database.db, { since: new Date(0) })) exported.push(record.seq);
    expect(exported).toEqual(records.map((record) => record.seq));
  });

  it('lists and exports entries by time range, object, actor and position', async () => {
    for (const n of [1, 2, 3, 4, 5, 6]) await appendAudit(database.db, sampleAuditEntry(n));
    const at = (n: number) => sampleAuditEntry(n).at;
    const list = async (filter: Parameters<typeof listAuditEntries>[1]) => (await listAuditEntries(database.db, filter)).map((r) => r.seq);
    expect(await list({ limit: 10, since: at(2), until: at(5) })).toEqual([2, 3, 4]);
    expect(await list({ limit: 10, afterSeq: 4 })).toEqual([5, 6]);
    expect(await list({ limit: 2 })).toEqual([1, 2]);
    expect(await list({ limit: 10, objectType: 'project', objectId: 'project-3' })).toEqual([3]);
    expect(await list({ limit: 10, actorId: 'user-1' })).toEqual([1, 4]);
    const exported = [];
    for await (const record of exportAudit(database.db, { since: at(5) })) exported.push(record);
    expect(exported.map((r) => r.seq)).toEqual([5, 6]);
    expect(exported[0]).toMatchObject({ prev_hash: expect.stringMatching(/^[0-9a-f]{64}$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: at(5).toISOString() });
  });
});
