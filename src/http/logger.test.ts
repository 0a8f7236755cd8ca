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
    const nested = { token: 'nested-secret-789' };
    app.log.info({ password: 'hunter2-secret', nested }, 'an object with secrets');
    app.log.warn({ err: Object.assign(new Error('failed'), { apiToken: 'error-secret-246' }), headers: { authorization: 'Bearer logged-header-secret-135' } }, 'an error with secrets');
    app.log.child({ secret: 'binding-secret-802' }).info('a child logger bound to a secret');
    const text = lines.join('\n');
    expect(text).toContain(response.headers['x-request-id'] as string);
    expect(text).toContain('"path":"/api/v1/me"');
    expect(text).toContain('"message":"failed"');
    for (const secret of ['query-secret-123', 'header-secret-456', 'hunter2-secret', 'nested-secret-789', 'error-secret-246', 'logged-header-secret-135', 'binding-secret-802']) expect(text).not.toContain(secret);
    // The logged object itself is left as it was.
    expect(nested.token).toBe('nested-secret-789');
    expect(text).toContain('[redacted]');
  });

  it('writes one line per request, carrying its id, method, path, client address, status and time', async () => {
    const before = lines.length;
    const response = await app.inject({ url: '/healthz?probe=1', remoteAddress: '198.51.100.30' });
    const written = lines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: response.headers['x-request-id'],
      req: { id: response.headers['x-request-id'], method: 'GET', path: '/healthz', ip: '198.51.100.30' },
      res: { statusCode: 200 },
    });
    expect(written[0]!.responseTime).toBeTypeOf('number');
  });
});
