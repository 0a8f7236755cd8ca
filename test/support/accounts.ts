import { Secret, TOTP } from 'otpauth';
import type { App } from '../../src/http/app.ts';
import { openEmailPayload, EMAIL_TOPIC, type EmailMessage } from '../../src/services/outbox.service.ts';
import type { OpenDatabase } from '../../src/storage/database.ts';
import { listOutboxEvents } from '../../src/storage/repositories/outbox.repository.ts';
import { OWNER_PASSWORD, buildTestApp, setUpOwner, testContext } from './app.ts';
import { openTestDatabase, type DatabaseKind } from './databases.ts';

/** The current TOTP code for a secret at a moment. */
export function totpCode(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });
}

export interface BrowserSession {
  cookie: string;
  csrf: string;
  headers: { cookie: string; 'x-csrf-token': string };
}

/**
 * A running app on a fresh database, with a movable clock, an owner, and
 * helpers that sign in the way clients do.
 */
export async function accountsHarness(kind: DatabaseKind, options: { start?: Date; beforeReady?: (app: App) => void } = {}) {
  const database: OpenDatabase = await openTestDatabase(kind);
  let now = options.start ?? new Date('2026-11-23T09:00:00Z');
  const clock = () => now;
  const app: App = await buildTestApp(database, { now: clock });
  // Hooks can only be added before the first request readies the app.
  options.beforeReady?.(app);
  const ownerToken = await setUpOwner(app, database);

  const harness = {
    app,
    database,
    ownerToken,
    ownerAuth: { authorization: `Bearer ${ownerToken}` },
    now: clock,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    async close() {
      await app.close();
      await database.close();
    },

    login(email: string, password: string, mode: 'browser' | 'api' = 'browser') {
      return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, mode } });
    },

    /** Signs in through the browser flow (answering MFA if a secret is given) and returns the cookie and CSRF token. */
    async browserLogin(email: string, password: string, totpSecret?: string): Promise<BrowserSession> {
      let response = await harness.login(email, password);
      if (response.json().kind === 'mfa_required') {
        if (!totpSecret) throw new Error('MFA required but no secret given');
        harness.advance(30_000); // a fresh time step: the previous code may have been used already
        response = await app.inject({ method: 'POST', url: '/api/v1/auth/login/mfa', payload: { challenge: response.json().challenge, code: totpCode(totpSecret, now) } });
      }
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      const setCookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-embargo_session='));
      if (!setCookie) throw new Error('no session cookie');
      const cookie = setCookie.split(';')[0]!;
      const csrf = response.json().csrfToken as string;
      return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
    },

    /** Enrols TOTP for the signed-in user and returns the secret and recovery codes. */
    async enrolTotp(session: { cookie: string; 'x-csrf-token': string } | { authorization: string }, currentPassword: string) {
      const begin = await app.inject({ method: 'POST', url: '/api/v1/account/mfa/totp', headers: session, payload: { currentPassword } });
      if (begin.statusCode !== 200) throw new Error(`enrol failed: ${begin.body}`);
      const secret = begin.json().secret as string;
      const confirm = await app.inject({ method: 'POST', url: '/api/v1/account/mfa/totp/confirm', headers: session, payload: { code: totpCode(secret, now) } });
      if (confirm.statusCode !== 200) throw new Error(`confirm failed: ${confirm.body}`);
      return { secret, recoveryCodes: confirm.json().recoveryCodes as string[] };
    },

    /** Emails waiting in the outbox, opened. */
    async emails(): Promise<EmailMessage[]> {
      const ctx = testContext(database);
      return (await listOutboxEvents(database.db, EMAIL_TOPIC)).map((event) => openEmailPayload(ctx, event));
    },

    /** The one-time token in the newest email to `to` whose link contains `path`. */
    async linkToken(to: string, path: string): Promise<string> {
      const mail = (await harness.emails()).filter((m) => m.to === to && m.text.includes(path)).at(-1);
      const token = mail?.text.match(/#token=([A-Za-z0-9_-]+)/)?.[1];
      if (!token) throw new Error(`no ${path} link mailed to ${to}`);
      return token;
    },
  };
  return harness;
}

export const OWNER_EMAIL = 'owner@example.org';
export { OWNER_PASSWORD };
