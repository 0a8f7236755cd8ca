import { readConfig } from '../config/index.ts';
import { createServiceContext, type ServiceContext } from '../services/context.ts';
import { openConfiguredDatabase } from '../storage/open-for-config.ts';

/** Opens the configured database (migrated) for one CLI command and closes it afterwards. */
export async function withServices<T>(body: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const config = await readConfig();
  const database = await openConfiguredDatabase(config);
  try {
    return await body(createServiceContext(config, database.db));
  } finally {
    await database.close();
  }
}
