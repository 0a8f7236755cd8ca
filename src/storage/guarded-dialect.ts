import type { CompiledQuery, DatabaseConnection, Dialect, Driver } from 'kysely';
import { guardedWrite, type FreeSpaceGuard } from './free-space-guard.ts';

/**
 * A Kysely dialect whose connections wait on `guard` before every write
 * statement. A Proxy rather than a subclass: Kysely's Postgres driver and
 * connection keep their state in private fields, so the calls are forwarded
 * to the real objects, and only `executeQuery` is looked at.
 */
export function guardedDialect(inner: Dialect, guard: FreeSpaceGuard): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => forwarding(inner.createDriver(), { acquireConnection: (driver: Driver) => async () => guardedConnection(await driver.acquireConnection(), guard) }),
  };
}

function guardedConnection(connection: DatabaseConnection, guard: FreeSpaceGuard): DatabaseConnection {
  return forwarding(connection, {
    executeQuery: (target: DatabaseConnection) => (query: CompiledQuery) => guardedWrite(guard, query.sql, () => target.executeQuery(query)),
  });
}

/** `target` with some methods replaced and every other one called on `target` itself (private fields need the real `this`). */
function forwarding<T extends object>(target: T, replaced: Record<string, (target: T) => unknown>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && property in replaced) return replaced[property]!(object);
      const value = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}
