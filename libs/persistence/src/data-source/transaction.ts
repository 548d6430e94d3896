import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { dialectOf } from './dialect';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();
const inTransaction = new AsyncLocalStorage<DataSource>();
const committedHooks = new WeakMap<QueryRunner, Array<() => void>>();

/**
 * Runs `hook` (synchronously, must not throw) right after the transaction of `manager` commits, if it was opened by
 * `withTransaction`; returns false (and never runs it) for any other transaction. A rolled-back transaction runs none.
 */
export function afterCommitOf(manager: EntityManager, hook: () => void): boolean {
  const hooks = manager.queryRunner ? committedHooks.get(manager.queryRunner) : undefined;
  if (!hooks || !manager.queryRunner?.isTransactionActive) return false;
  hooks.push(hook);
  return true;
}

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
  let hooks: Array<() => void> = [];
  const body = async (manager: EntityManager) => {
    hooks = [];
    const queryRunner = manager.queryRunner;
    if (queryRunner) committedHooks.set(queryRunner, hooks);
    try {
      return await inTransaction.run(dataSource, () => fn(manager));
    } finally {
      // SQLite's driver reuses one query runner: a later bare transaction must not find these hooks
      if (queryRunner) committedHooks.delete(queryRunner);
    }
  };
  const committed = <T>(result: T): T => {
    for (const hook of hooks) hook();
    return result;
  };
  if (dialectOf(dataSource) === 'postgres') return dataSource.transaction(body).then(committed);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(() => dataSource.transaction(body))
    .then(committed);
  sqliteQueues.set(dataSource, run);
  return run;
}

/** Refuses to run outside a transaction: the audit log, outbox and inbox only make sense inside the caller's one. */
export function assertInTransaction(manager: EntityManager, what: string): void {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`${what} must run inside a transaction: pass the EntityManager of withTransaction()/transaction()`);
  }
}
