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
 */
export async function recordInbox(
  manager: EntityManager,
  service: string,
  events: ReadonlyArray<{ id: string; name: string }>,
): Promise<Set<string>> {
  assertInTransaction(manager, 'runOnce');
  if (events.length === 0) return new Set();
  const d = dialectOf(manager);
  const table = assertIdentifier(messagingTables(service).inbox);
  const now = new Date().toISOString();
  const params: unknown[] = [];
  const tuples = events.map((e) => {
    params.push(e.id, e.name, now);
    const n = params.length;
    return `(${placeholder(d, n - 2)}, ${placeholder(d, n - 1)}, ${placeholder(d, n)})`;
  });
  const rows: Array<{ event_id: string }> = await manager.query(
    `INSERT INTO ${table} (event_id, event_name, processed_at) VALUES ${tuples.join(', ')} ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
    params,
  );
  return new Set(rows.map((r) => String(r.event_id)));
}
