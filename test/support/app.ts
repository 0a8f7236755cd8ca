import { finaliseConfig } from '../../src/config/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { build, type App } from '../../src/http/app.ts';
import type { JobRunnerProbe } from '../../src/http/plugins/metrics.ts';
import { createServiceContext } from '../../src/services/context.ts';
import type { SecurityTxtSigner } from '../../src/services/policy-documents.service.ts';
import { issueSetupToken } from '../../src/services/setup.service.ts';
import type { OpenDatabase } from '../../src/storage/database.ts';

export const TEST_SERVER_SECRET = 'test-only-server-secret-9f8e7d6c5b4a39281706';

/** A complete configuration as the server would have it; explicit secrets, so nothing is written to disk. */
export const testConfig = await finaliseConfig(
  parseConfig({
    env: 'test',
    publicUrl: 'https://embargo.test',
    logLevel: 'silent',
    setupTokenTtlMinutes: 60,
    secrets: { serverSecret: TEST_SERVER_SECRET, encryptionKey: 'test-only-encryption-key-0a1b2c3d4e5f60718293' },
    // Generous limits: tests that exercise rate limiting build their own app.
    http: { rateLimitPerMinute: 100_000, authRateLimitPerMinute: 10_000, intakeRateLimitPerMinute: 10_000, intakeProjectRateLimitPerMinute: 10_000 },
  }),
);

export const OWNER_PASSWORD = 'correct horse battery staple';

export function testContext(database: OpenDatabase, now?: () => Date) {
  return createServiceContext(testConfig, database.db, now);
}

export function buildTestApp(
  database: OpenDatabase,
  options: { now?: () => Date; signer?: SecurityTxtSigner; config?: Partial<typeof testConfig>; webDistDir?: string; jobs?: JobRunnerProbe } = {},
): Promise<App> {
  return build({ config: { ...testConfig, ...options.config }, database, logger: false, now: options.now, securityTxtSigner: options.signer, webDistDir: options.webDistDir, jobs: options.jobs });
}

/** Runs first-owner setup over HTTP and returns the owner's bearer token. */
export async function setUpOwner(app: App, database: OpenDatabase, email = 'owner@example.org'): Promise<string> {
  const issued = await issueSetupToken(testContext(database));
  if (!issued) throw new Error('instance is already set up');
  const response = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: issued.token, email, password: OWNER_PASSWORD } });
  if (response.statusCode !== 201) throw new Error(`setup failed: ${response.body}`);
  return response.json<{ apiToken: string }>().apiToken;
}
