import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../../test/support/databases.ts';
import { buildAuditRecord } from '../domain/audit/record.ts';
import { sampleAuditEntry } from '../domain/audit/test-fixtures.ts';
import type { OpenDatabase } from '../storage/database.ts';
import { insertAuditRecord, listAuditEntries } from '../storage/repositories/audit.repository.ts';
import { appendAudit, checkpointAudit, verifyAudit } from './audit.service.ts';
import { asDatabaseSuperuser, resetAuditLog } from './audit.test-support.ts';

const serverSecret = 'Wn4xQ8rT2vL6yP0mK3bH7cJ1dF5gS9aZ2eU4iO8uY6t';
const contentColumns = ['at', 'actor_type', 'actor_id', 'actor_label', 'action', 'object_type', 'object_id', 'outcome', 'ip', 'user_agent', 'details'];

/**
 * An attacker with superuser access to the database (the append-only
 * triggers disabled) but without the server secret. Every test starts from
 * an intact chain of five entries and names the first entry that breaks.
 */
describe.each(databaseKinds)('audit log tampering on %s', (kind) => {
  let database: OpenDatabase;
  const verify = () => verifyAudit(database.db, { serverSecret });
  const tamper = (change: (db: OpenDatabase['db']) => Promise<unknown>) => asDatabaseSuperuser(database.db, change);
  const swapRows = (columns: string[]) =>
    tamper((db) =>
      sql`update audit_log mine set (${sql.join(columns.map((c) => sql.ref(c)))}) =
            (select ${sql.join(columns.map((c) => sql.ref(`theirs.${c}`)))} from audit_log theirs where theirs.seq = 5 - mine.seq)
          where mine.seq in (2, 3)`.execute(db),
    );

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());
  beforeEach(async () => {
    await resetAuditLog(database.db);
    for (const n of [1, 2, 3, 4, 5]) await appendAudit(database.db, sampleAuditEntry(n));
    expect(await verify()).toMatchObject({ ok: true, entries: 5 });
  });

  it('detects an edited field', async () => {
    await tamper((db) => sql`update audit_log set actor_label = 'Eve' where seq = 3`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'hash_mismatch', entries: 2, record: { seq: 3, actor_label: 'Eve' } });
  });

  it('detects an edited jsonb detail, and an edited timestamp down to the microsecond', async () => {
    await tamper((db) => sql`update audit_log set details = jsonb_set(details, '{n}', '40') where seq = 4`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 4, reason: 'hash_mismatch' });
    await tamper((db) => sql`update audit_log set at = at + interval '1 microsecond' where seq = 2`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'hash_mismatch' });
    await tamper((db) => sql`update audit_log set at = 'infinity' where seq = 1`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 1, reason: 'hash_mismatch' });
  });

  it('detects a deleted middle entry and a deleted first entry', async () => {
    await tamper((db) => sql`delete from audit_log where seq = 3`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'missing_entry', entries: 2 });
    await tamper((db) => sql`delete from audit_log where seq = 1`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 1, reason: 'missing_entry', entries: 0 });
  });

  it('detects a deleted middle entry hidden by renumbering', async () => {
    await tamper(async (db) => {
      await sql`delete from audit_log where seq = 3`.execute(db);
      await sql`update audit_log set seq = seq - 1 where seq > 3`.execute(db);
    });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'prev_hash_mismatch' });
  });

  it('detects a deleted last entry once a checkpoint covers it, and cannot without one', async () => {
    await tamper((db) => sql`delete from audit_log where seq = 5`.execute(db));
    expect(await verify()).toMatchObject({ ok: true, entries: 4 });

    await resetAuditLog(database.db);
    for (const n of [1, 2, 3, 4, 5]) await appendAudit(database.db, sampleAuditEntry(n));
    await checkpointAudit(database.db, { serverSecret, now: new Date() });
    await tamper((db) => sql`delete from audit_log where seq = 5`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: 'checkpoint_entry_missing', entries: 4 });
    await expect(checkpointAudit(database.db, { serverSecret, now: new Date() })).rejects.toThrow(/checkpoint 5 no longer matches its entry/);
  });

  it('detects two entries whose contents were swapped, with or without their hashes', async () => {
    await swapRows(contentColumns);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'hash_mismatch' });
    await swapRows(contentColumns);
    expect(await verify()).toMatchObject({ ok: true });
    await swapRows([...contentColumns, 'prev_hash', 'hash']);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'prev_hash_mismatch' });
  });

  it('detects a forged entry whose hash is right but whose link is not', async () => {
    const [second] = await listAuditEntries(database.db, { afterSeq: 1, limit: 1 });
    const forged = buildAuditRecord(sampleAuditEntry(6, { action: 'auth.login.succeeded' }), { seq: 6, id: randomUUID(), prevHash: second!.hash });
    await insertAuditRecord(database.db, forged);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 6, reason: 'prev_hash_mismatch', entries: 5 });
  });

  it('detects a chain rewritten consistently from entry 3 on, through the checkpoint it contradicts', async () => {
    await checkpointAudit(database.db, { serverSecret, now: new Date() });
    const [second] = await listAuditEntries(database.db, { afterSeq: 1, limit: 1 });
    await tamper(async (db) => {
      await sql`delete from audit_log where seq >= 3`.execute(db);
      let prevHash = second!.hash;
      for (const seq of [3, 4, 5]) {
        const record = buildAuditRecord(sampleAuditEntry(seq, { outcome: 'failure' }), { seq, id: randomUUID(), prevHash });
        await insertAuditRecord(db, record);
        prevHash = record.hash;
      }
    });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: 'checkpoint_hash_mismatch', entries: 5, checkpointsVerified: 0 });
    await expect(checkpointAudit(database.db, { serverSecret, now: new Date() })).rejects.toThrow(/checkpoint 5 no longer matches its entry/);
  });

  it('detects an altered or forged checkpoint, and one made with another server secret', async () => {
    await checkpointAudit(database.db, { serverSecret, now: new Date('2026-02-01T00:00:00Z') });
    await tamper((db) => sql`update audit_checkpoint set at = at + interval '1 microsecond'`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: 'checkpoint_signature_invalid', entries: 5 });
    await expect(checkpointAudit(database.db, { serverSecret, now: new Date() })).rejects.toThrow(/checkpoint 5 has an invalid signature/);

    await tamper((db) => sql`update audit_checkpoint set at = at - interval '1 microsecond'`.execute(db));
    expect(await verify()).toMatchObject({ ok: true, checkpointsVerified: 1 });
    await tamper((db) => sql`update audit_checkpoint set signature = repeat('ab', 64)`.execute(db));
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: 'checkpoint_signature_invalid' });

    await tamper((db) => sql`delete from audit_checkpoint`.execute(db));
    await checkpointAudit(database.db, { serverSecret: `${serverSecret}-other`, now: new Date() });
    expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: 'checkpoint_signature_invalid' });
  });

  it('refuses to checkpoint entries that no longer link to the last checkpoint', async () => {
    await checkpointAudit(database.db, { serverSecret, now: new Date() });
    await appendAudit(database.db, sampleAuditEntry(6));
    await tamper((db) => sql`update audit_log set prev_hash = ${'1'.repeat(64)}, actor_label = 'Eve' where seq = 6`.execute(db));
    await expect(checkpointAudit(database.db, { serverSecret, now: new Date() })).rejects.toThrow(/broken at seq 6; refusing to checkpoint/);
  });
});
