import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { dialectOf } from './dialect';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();
const inTransaction = new AsyncLocalStorage<DataSource>();

/**
 * Runs `fn` in a transaction. TypeORM's better-sqlite3 driver has a single connection: two overlapping
 * `dataSource.transaction()` calls would share it (the second BEGIN fails, or worse, statements interleave), so
 * on SQLite transactions are queued one after another. PostgreSQL uses the pool as usual.
 * Do not nest: pass the `EntityManager` down instead.
 */
export function withTransaction<T>(dataSource: DataSource, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  // Nested, it would wait for itself forever on SQLite and commit separately on PostgreSQL: refuse it loudly.
  if (inTransaction.getStore() === dataSource) {
    return Promise.reject(
      new Error('withTransaction() called inside another on the same data source: pass the EntityManager down'),
    );
  }
  const body = (manager: EntityManager) => inTransaction.run(dataSource, () => fn(manager));
  if (dialectOf(dataSource) === 'postgres') return dataSource.transaction(body);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => dataSource.transaction(body));
  sqliteQueues.set(dataSource, run);
  return run;
}

/** Refuses to run outside a transaction: the audit log, outbox and inbox only make sense inside the caller's one. */
export function assertInTransaction(manager: EntityManager, what: string): void {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`${what} must run inside a transaction: pass the EntityManager of withTransaction()/transaction()`);
  }
}
