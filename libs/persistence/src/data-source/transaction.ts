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
export function withTransaction<T>(
  dataSource: DataSource,
  fn: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
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
  if (dialectOf(dataSource) === 'postgres')
    return (options.deferBegin ? deferredTransaction(dataSource, body) : dataSource.transaction(body)).then(committed);
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

export interface TransactionOptions {
  /**
   * PostgreSQL: send the transaction's BEGIN with its first statement rather than alone, saving a round trip when that
   * statement is a simple query that takes it (`takeDeferredBegin`; the inbox's insert does). Any other first
   * statement sends BEGIN alone first, so the transaction is the same either way.
   */
  deferBegin?: boolean;
}

/** Query runners of deferred transactions whose BEGIN has not been sent yet. */
const beginPending = new WeakSet<QueryRunner>();

/**
 * For a simple query about to open a deferred transaction (`withTransaction(…, { deferBegin: true })`): `'BEGIN; '`
 * to put in front of it — the caller must send it, first, on this transaction's connection — or `''` when the
 * transaction has begun already (or is not deferred).
 */
export function takeDeferredBegin(manager: EntityManager): string {
  const runner = manager.queryRunner;
  if (!runner || !beginPending.delete(runner)) return '';
  return 'BEGIN; ';
}

/**
 * TypeORM's `dataSource.transaction` with BEGIN deferred: the runner counts as in a transaction from the start (so
 * assertInTransaction holds and COMMIT / ROLLBACK go as usual), and its first statement through TypeORM sends BEGIN
 * first unless a simple query took it with takeDeferredBegin. A transaction that sent nothing commits nothing.
 */
async function deferredTransaction<T>(dataSource: DataSource, body: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const query = runner.query.bind(runner);
  runner.query = (async (...args: Parameters<QueryRunner['query']>) => {
    if (beginPending.delete(runner)) await query('START TRANSACTION');
    return query(...args);
  }) as QueryRunner['query'];
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = true;
  state.transactionDepth = 1;
  beginPending.add(runner);
  try {
    let result: T;
    try {
      result = await body(runner.manager);
    } catch (err) {
      if (!beginPending.delete(runner)) await runner.rollbackTransaction().catch(() => undefined); // the error that matters is err
      throw err;
    }
    if (beginPending.delete(runner)) return result; // nothing was sent: nothing to commit
    await runner.commitTransaction();
    return result;
  } finally {
    state.isTransactionActive = false;
    state.transactionDepth = 0;
    await runner.release();
  }
}
