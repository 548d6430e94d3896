import { escapeLiteral } from 'pg';
import type { EntityManager } from 'typeorm';
import { assertIdentifier, assertInTransaction, dialectOf, placeholder } from '@jixiao/persistence';
import { messagingTables } from '../tables';

export type RunOnceOutcome<T> = { ran: true; result: T } | { ran: false };

/**
 * Runs `fn` unless the event was already processed, recording it in `<service>_inbox` in the same transaction as
 * `fn`'s effect: both commit or neither does. On PostgreSQL a concurrent duplicate waits on the inbox row's unique
 * key and then skips; on SQLite transactions are serialised anyway.
 */
export async function runOnce<T>(
  manager: EntityManager,
  service: string,
  event: { id: string; name: string },
  fn: () => Promise<T>,
): Promise<RunOnceOutcome<T>> {
  const fresh = await recordInbox(manager, service, [event]);
  if (fresh.size === 0) return { ran: false };
  return { ran: true, result: await fn() };
}

/**
 * Records the ids of `events` in `<service>_inbox` with one multi-row INSERT … ON CONFLICT DO NOTHING, inside the
 * caller's transaction, and returns the ids written now: those not processed before (an id given twice counts once).
 * The caller runs the effect of exactly these events in the same transaction.
 *
 * `lockTimeoutMs` (PostgreSQL): the transaction gives up on any lock wait longer than this from here on. The setting
 * and the insert go as one simple query (two statements, one round trip; the values inlined as escaped literals).
 */
export async function recordInbox(
  manager: EntityManager,
  service: string,
  events: ReadonlyArray<{ id: string; name: string }>,
  options: { lockTimeoutMs?: number } = {},
): Promise<Set<string>> {
  assertInTransaction(manager, 'runOnce');
  const d = dialectOf(manager);
  const table = assertIdentifier(messagingTables(service).inbox);
  const now = new Date().toISOString();
  const insert = `INSERT INTO ${table} (event_id, event_name, processed_at) VALUES `;
  const tail = ' ON CONFLICT (event_id) DO NOTHING RETURNING event_id';
  const timeout = options.lockTimeoutMs;
  if (d === 'postgres' && timeout !== undefined) {
    if (!Number.isInteger(timeout) || timeout < 0) throw new Error(`recordInbox: lockTimeoutMs ${timeout} is not a whole number of ms`);
    const set = `SET LOCAL lock_timeout = '${timeout}ms'`;
    // the transaction's own connection (TypeORM returns a multi-statement query's results as nothing)
    const client = (await manager.queryRunner!.connect()) as { query(sql: string): Promise<Array<{ rows: Array<{ event_id: string }> }>> };
    if (events.length === 0) {
      await client.query(set);
      return new Set();
    }
    const values = events.map((e) => `(${escapeLiteral(e.id)}, ${escapeLiteral(e.name)}, ${escapeLiteral(now)})`);
    const [, inserted] = await client.query(`${set}; ${insert}${values.join(', ')}${tail}`);
    return new Set(inserted.rows.map((r) => String(r.event_id)));
  }
  if (events.length === 0) return new Set();
  const params: unknown[] = [];
  const tuples = events.map((e) => {
    params.push(e.id, e.name, now);
    const n = params.length;
    return `(${placeholder(d, n - 2)}, ${placeholder(d, n - 1)}, ${placeholder(d, n)})`;
  });
  const rows: Array<{ event_id: string }> = await manager.query(`${insert}${tuples.join(', ')}${tail}`, params);
  return new Set(rows.map((r) => String(r.event_id)));
}
