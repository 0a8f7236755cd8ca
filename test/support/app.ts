import { build, type App } from '../../src/http/app.ts';
import type { SecurityTxtSigner } from '../../src/services/policy-documents.service.ts';
import { issueSetupToken } from '../../src/services/setup.service.ts';
import type { OpenDatabase } from '../../src/storage/database.ts';

export const TEST_SERVER_SECRET = 'test-only-server-secret-9f8e7d6c5b4a39281706';

export const testConfig = {
  env: 'test' as const,
  publicUrl: 'https://embargo.test',
  logLevel: 'silent' as const,
  setupTokenTtlMinutes: 60,
  secrets: { serverSecret: TEST_SERVER_SECRET, encryptionKey: 'test-only-encryption-key-0a1b2c3d4e5f60718293' },
};

export function buildTestApp(database: OpenDatabase, options: { now?: () => Date; signer?: SecurityTxtSigner } = {}): Promise<App> {
  return build({ config: testConfig, database, logger: false, now: options.now, securityTxtSigner: options.signer });
}

/** Runs first-owner setup over HTTP and returns the owner's bearer token. */
export async function setUpOwner(app: App, database: OpenDatabase, email = 'owner@example.org'): Promise<string> {
  const issued = await issueSetupToken({ db: database.db, now: () => new Date(), serverSecret: TEST_SERVER_SECRET, setupTokenTtlMinutes: 60 });
  if (!issued) throw new Error('instance is already set up');
  const response = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: issued.token, email, password: 'correct horse battery staple' } });
  if (response.statusCode !== 201) throw new Error(`setup failed: ${response.body}`);
  return response.json<{ apiToken: string }>().apiToken;
}
