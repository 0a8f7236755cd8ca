import { inject } from 'vitest';
import { crashIntakeSuite } from '../support/crash-intake.ts';
import { createDatabase } from '../support/postgres-cluster.ts';

crashIntakeSuite({
  kind: 'postgres',
  rounds: Number(process.env.EMBARGO_CRASH_ROUNDS ?? 10),
  async setUp() {
    const url = await createDatabase(inject('postgresUrl'), `embargo_crash_${Date.now()}`);
    return { env: { DATABASE_URL: url, DATABASE_POOL_SIZE: '5' }, target: { kind: 'postgres', url, ssl: 'disable', poolSize: 2 } };
  },
});
