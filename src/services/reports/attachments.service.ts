import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { openBuffer, openText, seal, sealBuffer } from '../../crypto/envelope.ts';
import type { AuditEntryInput } from '../../domain/audit/entry.ts';
import { sanitiseFilename } from '../../domain/reports/attachment-name.ts';
import { normaliseDeclaredType, sniffContentType } from '../../domain/reports/attachment-type.ts';
import { EmbargoError } from '../../errors.ts';
import { attachmentTotals, findAttachment, insertAttachment, listAttachmentMeta, lockReportForAttachments, type AttachmentMetaRow } from '../../storage/repositories/attachment.repository.ts';
import type { Database } from '../../storage/schema.ts';
import { appendAudit } from '../audit.service.ts';
import type { RequestMeta, ServiceContext } from '../context.ts';

/** A file as it arrived: the name and type are the uploader's claims, only the bytes are facts. */
export interface IncomingFile {
  filename: string;
  declaredType?: string | undefined;
  data: Buffer;
}

export interface AttachmentInfo {
  id: string;
  filename: string;
  /** Sniffed from the bytes. */
  contentType: string;
  declaredType: string | null;
  size: number;
  messageId: string | null;
  uploadedBy: 'reporter' | 'team';
  createdAt: Date;
}

export interface StoreAttachmentsInput {
  reportId: string;
  messageId?: string | undefined;
  uploadedBy: 'reporter' | 'team';
  uploadedByUser?: string | null | undefined;
  files: readonly IncomingFile[];
  actor: AuditEntryInput['actor'];
  meta: RequestMeta;
}

/** The bytes and the name are sealed apart, each bound to its column and the attachment id: neither opens anywhere else. */
const contentAad = (id: string) => ({ table: 'report_attachment', column: 'content_sealed', rowId: id });
const filenameAad = (id: string) => ({ table: 'report_attachment', column: 'filename_sealed', rowId: id });

/** Limits as operators write them: `10 MiB`, `64 KiB`, else bytes. */
function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

function tooLarge(path: string, message: string): EmbargoError {
  return new EmbargoError('payload_too_large', message, [{ path, message }]);
}

/** The limit errors, shared with the multipart reader, which meets them first while streaming. Names are sanitised before they are echoed. */
export function fileTooLargeError(path: string, name: string, maxFileBytes: number): EmbargoError {
  return tooLarge(path, `"${name}" is larger than the ${formatBytes(maxFileBytes)} allowed per file`);
}

export function reportTooLargeError(path: string, name: string, maxReportBytes: number): EmbargoError {
  return tooLarge(path, `"${name}" takes the report past the ${formatBytes(maxReportBytes)} allowed for all its attachments`);
}

export function tooManyFilesError(maxCount: number, existing?: { count: number; adding: number }): EmbargoError {
  const has = existing ? `; it has ${existing.count} and this adds ${existing.adding}` : '';
  return tooLarge('body.files', `a report can hold at most ${maxCount} attachments${has}`);
}

/**
 * Refuses the whole batch if any file breaks a limit, counting what the report
 * already holds. Runs under the report's row lock (taken in storeAttachments),
 * so concurrent uploads cannot both squeeze under the limits.
 */
function checkLimits(ctx: ServiceContext, files: readonly IncomingFile[], names: readonly string[], existing: { count: number; bytes: number }): void {
  const { maxFileBytes, maxReportBytes, maxCount } = ctx.attachments;
  if (existing.count + files.length > maxCount) throw tooManyFilesError(maxCount, { count: existing.count, adding: files.length });
  let total = existing.bytes;
  for (const [index, file] of files.entries()) {
    const name = names[index]!;
    const path = `body.files[${index}]`;
    if (file.data.length === 0) throw new EmbargoError('validation_failed', `"${name}" is empty`, [{ path, message: `"${name}" is empty` }]);
    if (file.data.length > maxFileBytes) throw fileTooLargeError(path, name, maxFileBytes);
    total += file.data.length;
    if (total > maxReportBytes) throw reportTooLargeError(path, name, maxReportBytes);
  }
}

/**
 * Stores files with a report (and a message, when they came with one) inside
 * the caller's transaction, so they commit or vanish with it. Each file's type
 * is sniffed from its bytes; bytes and sanitised name are sealed. Audited
 * with ids, sizes and types, never names.
 */
export async function storeAttachments(trx: Transaction<Database>, ctx: ServiceContext, input: StoreAttachmentsInput): Promise<AttachmentInfo[]> {
  if (input.files.length === 0) return [];
  const names = input.files.map((file) => sanitiseFilename(file.filename));
  if (!(await lockReportForAttachments(trx, input.reportId))) throw new EmbargoError('not_found', 'no such report');
  checkLimits(ctx, input.files, names, await attachmentTotals(trx, input.reportId));
  const now = ctx.now();
  const stored: AttachmentInfo[] = [];
  for (const [index, file] of input.files.entries()) {
    const id = randomUUID();
    const info: AttachmentInfo = {
      id,
      filename: names[index]!,
      contentType: await sniffContentType(file.data),
      declaredType: normaliseDeclaredType(file.declaredType),
      size: file.data.length,
      messageId: input.messageId ?? null,
      uploadedBy: input.uploadedBy,
      createdAt: now,
    };
    await insertAttachment(trx, {
      id,
      report_id: input.reportId,
      message_id: info.messageId,
      filename_sealed: seal(ctx.keyring, info.filename, filenameAad(id)),
      content_type: info.contentType,
      declared_type: info.declaredType,
      size_bytes: info.size,
      content_sealed: sealBuffer(ctx.keyring, file.data, contentAad(id)),
      uploaded_by: input.uploadedBy,
      uploaded_by_user: input.uploadedBy === 'team' ? (input.uploadedByUser ?? null) : null,
      created_at: now,
    });
    stored.push(info);
  }
  await appendAudit(trx, {
    actor: input.actor,
    action: 'report.attachment.added',
    object: { type: 'report', id: input.reportId },
    outcome: 'success',
    ...input.meta,
    details: { messageId: input.messageId ?? null, attachments: stored.map((a) => ({ id: a.id, size: a.size, contentType: a.contentType })) },
    at: now,
  });
  return stored;
}

function infoOf(ctx: Pick<ServiceContext, 'keyring'>, row: AttachmentMetaRow): AttachmentInfo {
  return {
    id: row.id,
    filename: openText(ctx.keyring, row.filename_sealed, filenameAad(row.id)),
    contentType: row.content_type,
    declaredType: row.declared_type,
    size: row.size_bytes,
    messageId: row.message_id,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at,
  };
}

/** Metadata (names opened, bytes left sealed in the database). `reporterView` hides team files the reporter may not see. */
export async function listAttachments(ctx: ServiceContext, reportId: string, options: { reporterView: boolean }): Promise<AttachmentInfo[]> {
  return (await listAttachmentMeta(ctx.db, reportId, options)).map((row) => infoOf(ctx, row));
}

export type AttachmentSummary = Omit<AttachmentInfo, 'createdAt'>;

/** What the report views show of an attachment (its message carries the date); the bytes come only through the download routes. */
export function summariseAttachment(a: AttachmentInfo): AttachmentSummary {
  return { id: a.id, filename: a.filename, contentType: a.contentType, declaredType: a.declaredType, size: a.size, messageId: a.messageId, uploadedBy: a.uploadedBy };
}

/** One attachment, decrypted. `not_found` also when it belongs to another report or is hidden from this viewer: nothing to tell apart. */
export async function readAttachment(ctx: ServiceContext, reportId: string, attachmentId: string, options: { reporterView: boolean }): Promise<AttachmentInfo & { data: Buffer }> {
  const row = await findAttachment(ctx.db, reportId, attachmentId, options);
  if (!row) throw new EmbargoError('not_found', 'no such attachment');
  return { ...infoOf(ctx, row), data: openBuffer(ctx.keyring, row.content_sealed, contentAad(row.id)) };
}
