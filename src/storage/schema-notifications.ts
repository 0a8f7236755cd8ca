import type { Generated, Selectable } from 'kysely';

/** Kysely types of the notification tables (migration 0013-notifications). */
export type NotificationDelivery = 'immediate' | 'digest' | 'off';

export interface NotificationPreferenceTable {
  user_id: string;
  event_kind: string;
  delivery: NotificationDelivery;
  updated_at: Date;
}

export interface NotificationDigestTable {
  user_id: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  sent_at: Date;
}

export interface NotificationDigestItemTable {
  id: string;
  user_id: string;
  event_kind: string;
  /** One line of the digest: kind, human id, project and link; never report content. */
  line: string;
  digest_day: string | null;
  created_at: Date;
}

export type EmailAttemptOutcome = 'delivered' | 'retry' | 'parked';

/** One SMTP attempt of an email outbox event (migration 0014-notification-delivery). */
export interface EmailAttemptTable {
  id: Generated<string>;
  event_id: string;
  attempted_at: Date;
  outcome: EmailAttemptOutcome;
  /** The server's final answer, e.g. `250 2.0.0 queued`; null when it gave none. */
  smtp_response: string | null;
  error: string | null;
  duration_ms: number;
}

export interface NotificationTables {
  email_attempt: EmailAttemptTable;
  notification_preference: NotificationPreferenceTable;
  notification_digest: NotificationDigestTable;
  notification_digest_item: NotificationDigestItemTable;
}

export type NotificationDigestItem = Selectable<NotificationDigestItemTable>;
export type EmailAttempt = Selectable<EmailAttemptTable>;
