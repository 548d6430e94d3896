import { createHash } from 'node:crypto';
import { QueryFailedError, type EntityManager, type QueryRunner } from 'typeorm';
import { dialectOf } from '../data-source/dialect';

/** What node-postgres answers a query with (the parts TypeORM's `query` returns). */
interface PgResult {
  command: string;
  rows: unknown[];
  rowCount: number | null;
}

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<PgResult>;
}

/**
 * Runs a statement whose text does not depend on how many rows it carries (its rows travel one parameter per column,
 * see columnRows) as a named prepared statement of the transaction's connection on PostgreSQL: the server parses and
 * analyses it once per connection and, after a few executions, plans it once too, instead of for every execution.
 * Elsewhere (SQLite, or no connected query runner) it is `manager.query`. Answers as `manager.query` does (the rows;
 * `[rows, count]` for UPDATE and DELETE), and fails with TypeORM's QueryFailedError.
 *
 * Why: node-postgres sends every other statement unnamed, and PostgreSQL parses, analyses and plans an unnamed
 * statement each time with its parameters' values put in as constants. For the pipeline's inbox batches (tens of rows
 * of 20–50 columns) that was most of what the server spent on a statement — parse trees of a thousand parameters,
 * copied and folded, their memory faulted in afresh for each — and of the client's time waiting for it. Measured on
 * this machine (a 40-column table, server CPU from /proc, mean of 300): 20 rows 0.67 ms as one parameter per value
 * against 0.43 ms as column texts prepared once (2.1 ms unnamed); 50 rows 3.3 against 0.8 ms; one row the same.
 *
 * Only for statements of a bounded set of texts: each named one stays prepared on every pooled connection that ran
 * it (a handful per table and rider combination). Behind a pooler that does not keep prepared statements with their
 * server connection (PgBouncer in transaction mode before 1.21), named statements fail: see the README.
 */
export async function queryFixed<T = unknown>(manager: EntityManager, sql: string, params: unknown[]): Promise<T> {
  const client = pgClientOf(manager);
  if (!client) return manager.query(sql, params);
  try {
    const raw = await client.query({ name: statementName(sql), text: sql, values: params });
    return (raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows) as T;
  } catch (err) {
    throw new QueryFailedError(sql, params, err as Error);
  }
}

/** queryFixed when `fixed` (the text is one of a bounded few), else `manager.query`. */
export function queryMaybeFixed<T = unknown>(manager: EntityManager, sql: string, params: unknown[], fixed: boolean): Promise<T> {
  return fixed ? queryFixed<T>(manager, sql, params) : manager.query(sql, params);
}

/**
 * The node-postgres client of the manager's query runner, when it is connected and on PostgreSQL, and TypeORM does
 * not log queries (the statement would bypass its logger).
 */
function pgClientOf(manager: EntityManager): PgClient | null {
  const runner = manager.queryRunner as (QueryRunner & { databaseConnection?: PgClient }) | undefined;
  if (!runner || runner.isReleased || !runner.databaseConnection) return null;
  if (dialectOf(manager) !== 'postgres' || manager.connection.options.logging) return null;
  return runner.databaseConnection;
}

const NAMES = new Map<string, string>();
const MAX_NAMES = 4_096;

/** A statement's name: a digest of its text (a different text never reuses a name, which node-postgres refuses). */
export function statementName(sql: string): string {
  let name = NAMES.get(sql);
  if (name === undefined) {
    if (NAMES.size >= MAX_NAMES) NAMES.clear();
    name = `jx_${createHash('sha1').update(sql).digest('hex').slice(0, 32)}`;
    NAMES.set(sql, name);
  }
  return name;
}
