import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Kysely types of the webhook tables (migration 0011-webhooks). */
export interface WebhookTable {
  id: Generated<string>;
  project_id: string;
  url: string;
  event_types: ColumnType<string[], string, string>;
  /** `whsec_…` signing secret, sealed (services/webhooks/webhook-secret.ts secretAad). */
  secret_sealed: string;
  enabled: Generated<boolean>;
  consecutive_failures: Generated<number>;
  disabled_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered';

export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  body: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  next_attempt_at: Timestamp;
  delivered_at: Date | null;
  created_at: Timestamp;
}

export interface WebhookAttemptTable {
  id: Generated<string>;
  delivery_id: string;
  attempted_at: Timestamp;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookTables {
  webhook: WebhookTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_attempt: WebhookAttemptTable;
}

export type Webhook = Selectable<WebhookTable>;
export type WebhookDelivery = Selectable<WebhookDeliveryTable>;
