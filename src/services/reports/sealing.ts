import { openText, seal } from '../../crypto/envelope.ts';
import type { ServiceContext } from '../context.ts';

/**
 * Report content is sealed per value with the row and column as associated
 * data: a value copied into another report, or another column, fails to open.
 */
type SealedReportColumn = 'title_sealed' | 'fields_sealed' | 'contact_sealed' | 'credit_name_sealed';

export function sealReportValue(ctx: Pick<ServiceContext, 'keyring'>, column: SealedReportColumn, reportId: string, value: unknown): string {
  return seal(ctx.keyring, JSON.stringify(value), { table: 'report', column, rowId: reportId });
}

export function openReportValue<T>(ctx: Pick<ServiceContext, 'keyring'>, column: SealedReportColumn, reportId: string, sealed: string): T {
  return JSON.parse(openText(ctx.keyring, sealed, { table: 'report', column, rowId: reportId })) as T;
}

export function sealMessageBody(ctx: Pick<ServiceContext, 'keyring'>, messageId: string, body: string): string {
  return seal(ctx.keyring, body, { table: 'report_message', column: 'body_sealed', rowId: messageId });
}

export function openMessageBody(ctx: Pick<ServiceContext, 'keyring'>, messageId: string, sealed: string): string {
  return openText(ctx.keyring, sealed, { table: 'report_message', column: 'body_sealed', rowId: messageId });
}

export function idempotencyAad(projectId: string, key: string) {
  return { table: 'idempotency_record', column: 'response_sealed', rowId: `${projectId}:${key}` };
}
