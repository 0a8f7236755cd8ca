import type { PasswordHashParams } from '../crypto/password-hash.ts';
import type { Db } from '../storage/database.ts';

/**
 * What every service needs, injected once at start. `now` is a function so
 * tests can pin time; secrets are passed in, never read from globals.
 */
export interface ServiceContext {
  db: Db;
  now: () => Date;
  serverSecret: string;
  passwordHashParams?: PasswordHashParams;
  setupTokenTtlMinutes: number;
}
