import { createHash } from 'node:crypto';
import { canonicalJson, type JsonObject } from './canonical-json.ts';
import type { AuditEntryInput } from './entry.ts';
import { storableDetails, storableNullableText, storableText } from './storable.ts';

/** The prev_hash of entry 1: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Names the hash scheme. It is hashed with every entry, so a future scheme
 * (another encoding or hash) gets a new prefix and old entries keep verifying.
 */
export const AUDIT_HASH_SCHEME = 'embargo-audit-v1';

/**
 * What an entry's hash covers: every column except the hash itself, with the
 * column names as keys. `at` is ISO 8601 in UTC with millisecond precision
 * (`Date.prototype.toISOString`), `details` is a JSON object (`{}` when
 * empty). Values read back from the database are untrusted, hence plain
 * strings rather than the input's unions.
 */
export type AuditRecordContent = {
  seq: number;
  id: string;
  at: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  details: JsonObject;
  prev_hash: string;
};

/** One stored audit entry; also the exported JSON object, so anyone holding an export can re-verify it. */
export type AuditRecord = AuditRecordContent & { hash: string };

/**
 * hash = lowercase hex SHA-256 of the UTF-8 bytes of
 *   `embargo-audit-v1` + LF + canonicalJson(content)
 * where content is the record without `hash` and canonicalJson is RFC 8785
 * (keys sorted at every depth, no whitespace). Chaining comes from
 * `prev_hash` being part of the content; `seq` is there too, so content moved
 * to another position no longer matches its hash.
 */
export function hashAuditContent(content: AuditRecordContent): string {
  return createHash('sha256').update(`${AUDIT_HASH_SCHEME}\n${canonicalJson(content)}`, 'utf8').digest('hex');
}

/** Builds the record to store for an entry at a given position in the chain. */
export function buildAuditRecord(entry: AuditEntryInput, position: { seq: number; id: string; prevHash: string }): AuditRecord {
  const content: AuditRecordContent = {
    seq: position.seq,
    id: position.id,
    at: entry.at.toISOString(),
    actor_type: entry.actor.type,
    actor_id: storableNullableText(entry.actor.id),
    actor_label: storableNullableText(entry.actor.label),
    action: storableText(entry.action),
    object_type: storableNullableText(entry.object?.type),
    object_id: storableNullableText(entry.object?.id),
    outcome: entry.outcome,
    ip: storableNullableText(entry.ip),
    user_agent: storableNullableText(entry.userAgent),
    details: storableDetails(entry.details),
    prev_hash: position.prevHash,
  };
  return { ...content, hash: hashAuditContent(content) };
}

/** Splits a record into the content its hash covers and the hash it claims. */
export function contentOf(record: AuditRecord): AuditRecordContent {
  const { hash: _claimed, ...content } = record;
  return content;
}
