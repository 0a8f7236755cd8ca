import { describe, expect, it } from 'vitest';
import type { AuditCheckpoint } from './checkpoint.ts';
import type { AuditEntryInput } from './entry.ts';
import { buildAuditRecord, GENESIS_HASH, type AuditRecord } from './record.ts';
import { sampleAuditEntry } from './test-fixtures.ts';
import { genesis, verifyAuditChain } from './verify-chain.ts';

/** A consistent chain of `length` entries after `from`, as the appender (or an attacker rebuilding it) would make. */
function chain(length: number, from = genesis, entryAt: (seq: number) => AuditEntryInput = sampleAuditEntry): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prevHash = from.hash;
  for (let seq = from.seq + 1; seq <= from.seq + length; seq += 1) {
    const record = buildAuditRecord(entryAt(seq), { seq, id: `id-${seq}`, prevHash });
    records.push(record);
    prevHash = record.hash;
  }
  return records;
}

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Checkpoints whose signature is "valid" when it reads "good". */
function signed(checkpoints: Array<Pick<AuditCheckpoint, 'seq' | 'hash'> & { signature?: string }>) {
  const full = checkpoints.map((c) => ({ at: new Date(0), keyId: 'k', signature: 'good', ...c }));
  return { checkpoints: stream(full), signatureValid: (c: AuditCheckpoint) => c.signature === 'good' };
}

describe('verifyAuditChain', () => {
  it('accepts an intact chain and counts entries and checkpoints', async () => {
    const records = chain(5);
    const result = await verifyAuditChain(stream(records), signed([records[1]!, records[4]!]));
    expect(result).toEqual({ ok: true, entries: 5, lastSeq: 5, lastHash: records[4]!.hash, checkpointsVerified: 2 });
  });

  it('accepts an empty log', async () => {
    expect(await verifyAuditChain(stream([]), undefined)).toEqual({ ok: true, entries: 0, lastSeq: 0, lastHash: GENESIS_HASH, checkpointsVerified: 0 });
  });

  it('verifies a segment from a trusted start', async () => {
    const head = chain(3);
    const tail = chain(2, { seq: 3, hash: head[2]!.hash });
    expect(await verifyAuditChain(stream(tail), undefined, { seq: 3, hash: head[2]!.hash })).toMatchObject({ ok: true, entries: 2, lastSeq: 5 });
    expect(await verifyAuditChain(stream(tail), undefined, { seq: 3, hash: head[1]!.hash })).toMatchObject({ ok: false, firstBrokenSeq: 4, reason: 'prev_hash_mismatch' });
  });

  it('names the first missing seq, whether the first entry or a middle one is gone', async () => {
    const records = chain(5);
    expect(await verifyAuditChain(stream(records.slice(1)), undefined)).toMatchObject({ ok: false, firstBrokenSeq: 1, reason: 'missing_entry', entries: 0 });
    expect(await verifyAuditChain(stream([...records.slice(0, 2), ...records.slice(3)]), undefined)).toMatchObject({ firstBrokenSeq: 3, reason: 'missing_entry', entries: 2 });
  });

  it('detects an edited entry by its hash and returns it', async () => {
    const records = chain(4);
    records[2] = { ...records[2]!, actor_label: 'someone else' };
    const result = await verifyAuditChain(stream(records), undefined);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'hash_mismatch', entries: 2, record: { seq: 3, actor_label: 'someone else' } });
  });

  it('detects a consistent rewrite from a signed checkpoint the rewrite no longer matches', async () => {
    const original = chain(5);
    const rewritten = [...original.slice(0, 2), ...chain(3, { seq: 2, hash: original[1]!.hash }, (seq) => ({ ...sampleAuditEntry(seq), action: 'forged' }))];
    const result = await verifyAuditChain(stream(rewritten), signed([{ seq: 4, hash: original[3]!.hash }]));
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 4, reason: 'checkpoint_hash_mismatch', checkpointsVerified: 0 });
  });

  it('reports a checkpoint beyond the last entry as truncation, unless its signature is bad', async () => {
    const records = chain(4);
    expect(await verifyAuditChain(stream(records), signed([{ seq: 5, hash: 'f'.repeat(64) }]))).toMatchObject({
      ok: false,
      firstBrokenSeq: 5,
      reason: 'checkpoint_entry_missing',
      entries: 4,
    });
    expect(await verifyAuditChain(stream(records), signed([{ seq: 5, hash: 'f'.repeat(64), signature: 'bad' }]))).toMatchObject({
      firstBrokenSeq: 5,
      reason: 'checkpoint_signature_invalid',
    });
  });

  it('reports a badly signed checkpoint at its seq before trusting its hash', async () => {
    const records = chain(4);
    const result = await verifyAuditChain(stream(records), signed([{ seq: 2, hash: records[1]!.hash }, { seq: 3, hash: records[2]!.hash, signature: 'bad' }]));
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'checkpoint_signature_invalid', checkpointsVerified: 1 });
  });
});
