import type { ServiceContext } from '../services/context.ts';

/** Opens the configured database (migrated) for one CLI command and closes it afterwards. */
export async function withServices<T>(body: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  // Loaded here, not at start-up: `embargo --help` should not load the services and the database drivers.
  const [{ readConfig }, { createServiceContext }, { openConfiguredDatabase }] = await Promise.all([import('../config/index.ts'), import('../services/context.ts'), import('../storage/open-for-config.ts')]);
  const config = await readConfig();
  const database = await openConfiguredDatabase(config);
  try {
    return await body(createServiceContext(config, database.db));
  } finally {
    await database.close();
  }
}
