import type { EntityManager } from 'typeorm';
import { assertInTransaction, insertMany } from '@jixiao/persistence';
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
  assertInTransaction(manager, 'runOnce');
  const inserted = await insertMany(
    manager,
    messagingTables(service).inbox,
    ['event_id', 'event_name', 'processed_at'],
    [[event.id, event.name, new Date().toISOString()]],
    { onConflictDoNothing: ['event_id'] },
  );
  if (inserted === 0) return { ran: false };
  return { ran: true, result: await fn() };
}
