import type { Selectable } from 'kysely';

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

export interface NotificationTables {
  notification_preference: NotificationPreferenceTable;
  notification_digest: NotificationDigestTable;
  notification_digest_item: NotificationDigestItemTable;
}

export type NotificationDigestItem = Selectable<NotificationDigestItemTable>;
