import { randomBytes } from 'node:crypto';
import { openText, seal, type Keyring } from '../../crypto/envelope.ts';

function secretAad(webhookId: string) {
  return { table: 'webhook', column: 'secret_sealed', rowId: webhookId };
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64, the form the `standardwebhooks` libraries take as is. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function sealWebhookSecret(keyring: Keyring, webhookId: string, secret: string): string {
  return seal(keyring, secret, secretAad(webhookId));
}

export function openWebhookSecret(keyring: Keyring, webhook: { id: string; secret_sealed: string }): string {
  return openText(keyring, webhook.secret_sealed, secretAad(webhook.id));
}
