import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Advisory, AdvisoryState } from '../domain/advisories/model.ts';

/** Kysely types of the advisory tables (migration 0009-advisories). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** What the team writes; the rest of the model (id, project, state, dates, revisions) comes from columns. */
export type AdvisoryContent = Pick<Advisory, 'title' | 'summary' | 'details' | 'severity' | 'cweIds' | 'affected' | 'references' | 'credits' | 'cveId' | 'aliases' | 'tlp'>;

export interface AdvisoryCounterTable {
  prefix: string;
  year: number;
  last_number: number;
}

export interface AdvisoryTable {
  id: string;
  project_id: string;
  /** The public id, e.g. PAYQI-2026-0003. */
  advisory_id: string;
  state: AdvisoryState;
  /** Envelope of the JSON content (AAD: advisory / content_sealed / id) while draft or scheduled. */
  content_sealed: string | null;
  /** The content in clear once published. */
  content: ColumnType<AdvisoryContent | null, string | null, string | null>;
  scheduled_at: Date | null;
  published_at: Date | null;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
  revision: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  modified_at: Timestamp;
}

export interface AdvisoryRevisionTable {
  id: Generated<string>;
  advisory_id: string;
  number: number;
  summary: string;
  snapshot: ColumnType<AdvisoryContent, string, string>;
  author_id: string | null;
  created_at: Timestamp;
}

export interface AdvisoryReportTable {
  advisory_id: string;
  report_id: string;
}

export interface AdvisoryTables {
  advisory_counter: AdvisoryCounterTable;
  advisory: AdvisoryTable;
  advisory_revision: AdvisoryRevisionTable;
  advisory_report: AdvisoryReportTable;
}

export type AdvisoryRow = Selectable<AdvisoryTable>;
export type AdvisoryRevisionRow = Selectable<AdvisoryRevisionTable>;
