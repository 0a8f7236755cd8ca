import type { Database } from './schema.ts';

/**
 * Every column that holds an envelope (src/crypto/envelope.ts), with what is needed to open and
 * reseal its values elsewhere than in the code that wrote them: `embargo keys reencrypt` walks
 * this list after a key rotation, and `embargo keys status` counts values per key from it.
 *
 * A sealed column missing here would keep its values under an old key for ever, and dropping
 * that key would lose them: add a new sealed column here in the change that creates it. The
 * storage test fails for any `*_sealed` column in the schema that is not listed.
 *
 * `rowId` must build exactly the AAD rowId the writer used: a value only opens at its place.
 */
export interface SealedColumn {
  table: string;
  column: string;
  /** Primary-key columns: the order of the batched walk, and how one row is updated. */
  key: readonly string[];
  /** The envelope's AAD rowId, from the row's key columns (uuid and text keys arrive as strings). */
  rowId: (key: Readonly<Record<string, string>>) => string;
  /** `text`: base64url envelope (`seal`); `binary`: raw envelope bytes in bytea (`sealBuffer`). */
  encoding: 'text' | 'binary';
  /** Whole values loaded and rewritten per transaction, when fewer than a batch must be: large values (attachments) bound memory. */
  rewriteBatchSize?: number;
}

type ColumnOf<T extends keyof Database> = Extract<keyof Database[T], string>;

/** Checks table and column names against the Kysely schema, so a rename breaks the build rather than a rotation. */
function sealedColumn<T extends keyof Database>(entry: { table: T; column: ColumnOf<T>; key: readonly ColumnOf<T>[]; rowId?: SealedColumn['rowId']; encoding?: SealedColumn['encoding']; rewriteBatchSize?: number }): SealedColumn {
  const [single] = entry.key;
  return {
    table: entry.table,
    column: entry.column,
    key: entry.key,
    // Most rows are sealed under their one primary-key value.
    rowId: entry.rowId ?? ((key) => key[single!]!),
    encoding: entry.encoding ?? 'text',
    rewriteBatchSize: entry.rewriteBatchSize,
  };
}

export const sealedColumns: readonly SealedColumn[] = [
  // services/accounts/second-factor.ts totpSecretAad
  sealedColumn({ table: 'app_user', column: 'totp_secret', key: ['id'] }),
  sealedColumn({ table: 'app_user', column: 'totp_pending_secret', key: ['id'] }),
  // services/accounts/signing-keys.service.ts privateKeyAad
  sealedColumn({ table: 'jwt_signing_key', column: 'private_jwk', key: ['kid'] }),
  // services/outbox.service.ts payloadAad
  sealedColumn({ table: 'outbox_event', column: 'payload', key: ['id'] }),
  // services/reports/sealing.ts
  sealedColumn({ table: 'report', column: 'title_sealed', key: ['id'] }),
  sealedColumn({ table: 'report', column: 'fields_sealed', key: ['id'] }),
  sealedColumn({ table: 'report', column: 'contact_sealed', key: ['id'] }),
  sealedColumn({ table: 'report', column: 'credit_name_sealed', key: ['id'] }),
  sealedColumn({ table: 'report_message', column: 'body_sealed', key: ['id'] }),
  // services/reports/attachments.service.ts filenameAad, contentAad
  sealedColumn({ table: 'report_attachment', column: 'filename_sealed', key: ['id'] }),
  // Up to EMBARGO_ATTACHMENT_MAX_FILE_BYTES each: one at a time, so a rotation holds one file in memory, not a batch of them.
  sealedColumn({ table: 'report_attachment', column: 'content_sealed', key: ['id'], encoding: 'binary', rewriteBatchSize: 1 }),
  sealedColumn({ table: 'idempotency_record', column: 'response_sealed', key: ['project_id', 'key'], rowId: (key) => `${key.project_id}:${key.key}` }),
  // services/reports/project-keys.service.ts privateKeyAad
  sealedColumn({ table: 'project_key', column: 'private_key_sealed', key: ['project_id'] }),
  // services/triage/workflow.service.ts (report_event); disclosure_proposal follows the same convention (rowId = its id)
  sealedColumn({ table: 'report_event', column: 'reason_sealed', key: ['id'] }),
  sealedColumn({ table: 'disclosure_proposal', column: 'reason_sealed', key: ['id'] }),
  // services/advisories/content.ts contentAad: drafts and scheduled advisories only
  sealedColumn({ table: 'advisory', column: 'content_sealed', key: ['id'] }),
  // services/instance-keys.service.ts instanceKeyAad
  sealedColumn({ table: 'instance_key', column: 'private_key_sealed', key: ['purpose'] }),
  // services/webhooks/webhook-secret.ts secretAad
  sealedColumn({ table: 'webhook', column: 'secret_sealed', key: ['id'] }),
  // services/subscriptions/subscriber-email.ts emailAad
  sealedColumn({ table: 'advisory_subscription', column: 'email_sealed', key: ['id'] }),
];
