import type { Config } from '../config/index.ts';
import { keyringFromSecrets, type Keyring } from '../crypto/envelope.ts';
import type { PasswordHashParams } from '../crypto/password-hash.ts';
import type { Db } from '../storage/database.ts';

export type AuthSettings = Config['auth'];
export type AttachmentLimits = Config['attachments'];

/**
 * What every service needs, injected once at start. `now` is a function so
 * tests can pin time; secrets and keys are passed in, never read from globals.
 */
export interface ServiceContext {
  db: Db;
  now: () => Date;
  serverSecret: string;
  /** Keys for encryption at rest (TOTP secrets, signing keys, outbox payloads, later report content). */
  keyring: Keyring;
  auth: AuthSettings;
  publicUrl: string;
  setupTokenTtlMinutes: number;
  /** Per-file, per-report and count limits on report attachments. */
  attachments: AttachmentLimits;
  /** `production` turns on the webhook target guard (https only, no private addresses). */
  env: Config['env'];
}

export type ContextConfig = Pick<Config, 'secrets' | 'auth' | 'publicUrl' | 'setupTokenTtlMinutes' | 'attachments' | 'env'>;

export function createServiceContext(config: ContextConfig, db: Db, now: () => Date = () => new Date()): ServiceContext {
  return {
    db,
    now,
    serverSecret: config.secrets.serverSecret,
    // Active key first: it seals new values; the previous ones only open values sealed before a rotation.
    keyring: keyringFromSecrets([config.secrets.encryptionKey, ...config.secrets.previousEncryptionKeys].map((secret) => ({ secret }))),
    auth: config.auth,
    publicUrl: config.publicUrl,
    setupTokenTtlMinutes: config.setupTokenTtlMinutes,
    attachments: config.attachments,
    env: config.env,
  };
}

export function passwordHashParams(auth: AuthSettings): PasswordHashParams {
  return { memoryCost: auth.argon2MemoryKib, timeCost: auth.argon2Iterations, parallelism: auth.argon2Parallelism };
}

/** Who is acting and from where, for the audit log. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export const systemMeta: RequestMeta = { ip: null, userAgent: null };
