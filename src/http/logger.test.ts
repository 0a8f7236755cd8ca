import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support/app.ts';
import { openTestDatabase } from '../../test/support/databases.ts';
import type { OpenDatabase } from '../storage/database.ts';
import { build, type App } from './app.ts';
import { loggerOptions } from './logger.ts';

describe('structured request logs', () => {
  let database: OpenDatabase;
  let app: App;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logger = { ...(loggerOptions('info') as object), stream };
    app = await build({ config: testConfig, database, logger });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('logs each request with its id but never the bearer token, query string or secret fields', async () => {
    const response = await app.inject({ url: '/api/v1/me?token=query-secret-123', headers: { authorization: 'Bearer emb_pat_header-secret-456' } });
    app.log.info({ password: 'hunter2-secret', nested: { token: 'nested-secret-789' } }, 'an object with secrets');
    const text = lines.join('\n');
    expect(text).toContain(response.headers['x-request-id'] as string);
    expect(text).toContain('"path":"/api/v1/me"');
    for (const secret of ['query-secret-123', 'header-secret-456', 'hunter2-secret', 'nested-secret-789']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
