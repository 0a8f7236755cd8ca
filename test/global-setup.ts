// Vitest global setup: one PostgreSQL server for the whole run, shared with
// test files through inject('postgresUrl'); each file creates its own database.
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './support/postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of a PostgreSQL server; pass it to createDatabase(). */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // An explicit server wins, e.g. a developer's own Postgres or a CI service container.
  const external = process.env.EMBARGO_TEST_DATABASE_URL;
  if (external) {
    project.provide('postgresUrl', external);
    return undefined;
  }
  // No fallback to skipping: if Postgres is missing, the run fails with the reason.
  const cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
