import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../../test/support/app.ts';
import { databaseKinds, openTestDatabase } from '../../../../test/support/databases.ts';
import type { OpenDatabase } from '../../../storage/database.ts';
import { migrateToLatest, migrator } from '../../../storage/migrate.ts';
import type { App } from '../../app.ts';

describe.each(databaseKinds)('readiness with the schema behind this build on %s', (kind) => {
  let database: OpenDatabase;
  let app: App;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    app = await buildTestApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('answers 503 naming the migrations check while one is pending, and 200 once it has run; liveness stays 200 throughout', async () => {
    const down = await migrator(database.db).migrateDown();
    expect(down.error).toBeUndefined();
    const pending = await app.inject('/readyz');
    expect([pending.statusCode, pending.json()]).toEqual([503, { status: 'unavailable', checks: { database: true, migrations: false } }]);
    expect((await app.inject('/healthz')).statusCode).toBe(200);

    await migrateToLatest(database.db);
    const ready = await app.inject('/readyz');
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ok', checks: { database: true, migrations: true } }]);
  });
});
