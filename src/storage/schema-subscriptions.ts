import type { Selectable } from 'kysely';

/** Kysely types of the subscription tables (migration 0012-subscriptions). */
export interface AdvisorySubscriptionTable {
  id: string;
  /** Null: every advisory of the instance. */
  project_id: string | null;
  /** The subscriber's address, sealed (services/subscriptions/subscriber-email.ts emailAad). */
  email_sealed: string;
  /** HMAC-SHA256 of the normalised address with the server secret, for lookups. */
  email_hash: string;
  confirmed_at: Date | null;
  confirmation_sent_at: Date;
  created_at: Date;
}

export interface SubscriptionTables {
  advisory_subscription: AdvisorySubscriptionTable;
}

export type AdvisorySubscription = Selectable<AdvisorySubscriptionTable>;
