import type { Submission } from '../../domain/reports/submission.ts';
import { renderMarkdownSafely } from '../../formats/markdown-html.ts';
import type { Report, ReportMessage } from '../../storage/schema-reports.ts';
import type { ServiceContext } from '../context.ts';
import { openMessageBody, openReportValue } from './sealing.ts';

export type ReportContent = Omit<Submission, 'title' | 'contact' | 'reporter_public_key' | 'credit'>;

export interface OpenedReport {
  id: string;
  humanId: string;
  state: string;
  source: Report['source'];
  receivedAt: Date;
  title: string;
  content: ReportContent;
  contact: { email?: string; uri?: string; publicKey?: string } | null;
  credit: { mode: Report['credit_mode']; name: string | null };
  versionStatus: Report['version_status'];
  encryptedToTeam: boolean;
  spam: boolean;
}

/** Decrypts a report row. Callers decide who may see which part (the reporter never sees internal notes). */
export function openReport(ctx: Pick<ServiceContext, 'keyring'>, report: Report): OpenedReport {
  return {
    id: report.id,
    humanId: report.human_id,
    state: report.state,
    source: report.source,
    receivedAt: report.created_at,
    title: report.title_clear ?? openReportValue<string>(ctx, 'title_sealed', report.id, report.title_sealed!),
    content: openReportValue<ReportContent>(ctx, 'fields_sealed', report.id, report.fields_sealed),
    contact: report.contact_sealed ? openReportValue(ctx, 'contact_sealed', report.id, report.contact_sealed) : null,
    credit: { mode: report.credit_mode, name: report.credit_name_sealed ? openReportValue<string>(ctx, 'credit_name_sealed', report.id, report.credit_name_sealed) : null },
    versionStatus: report.version_status,
    encryptedToTeam: report.encrypted_to_team,
    spam: report.spam_at !== null,
  };
}

export interface OpenedMessage {
  id: string;
  authorType: ReportMessage['author_type'];
  authorUserId: string | null;
  visibility: ReportMessage['visibility'];
  body: string;
  /** The body as sanitised HTML (src/formats/markdown-html.ts), ready to show. */
  html: string;
  encryptedToTeam: boolean;
  createdAt: Date;
}

export function openMessage(ctx: Pick<ServiceContext, 'keyring'>, message: ReportMessage): OpenedMessage {
  const body = openMessageBody(ctx, message.id, message.body_sealed);
  return {
    id: message.id,
    authorType: message.author_type,
    authorUserId: message.author_user_id,
    visibility: message.visibility,
    body,
    html: renderMarkdownSafely(body),
    encryptedToTeam: message.encrypted_to_team,
    createdAt: message.created_at,
  };
}
