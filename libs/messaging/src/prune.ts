import type { DataSource } from 'typeorm';
import { dialectOf, placeholder, withTransaction } from '@jixiao/persistence';
import { messagingTables } from './tables';

const BATCH = 10_000;

/**
 * Deletes outbox rows sent before `sentBefore` (ISO), ten thousand per transaction. Unsent rows are never touched.
 * Keep sent rows as long as you want to be able to answer "was this event emitted?" from the database.
 */
export async function pruneOutbox(dataSource: DataSource, service: string, sentBefore: string): Promise<number> {
  const { outbox } = messagingTables(service);
  return deleteInBatches(
    dataSource,
    outbox,
    'id',
    `sent_at IS NOT NULL AND sent_at < ${placeholder(dialectOf(dataSource), 1)}`,
    sentBefore,
  );
}

/**
 * Deletes inbox ids processed before `processedBefore` (ISO). An id must outlive any redelivery of its event:
 * keep well beyond the failed-job retention of the queues (7 days by default), e.g. 30 days.
 */
export async function pruneInbox(dataSource: DataSource, service: string, processedBefore: string): Promise<number> {
  const { inbox } = messagingTables(service);
  return deleteInBatches(
    dataSource,
    inbox,
    'event_id',
    `processed_at < ${placeholder(dialectOf(dataSource), 1)}`,
    processedBefore,
  );
}

async function deleteInBatches(
  dataSource: DataSource,
  table: string,
  key: string,
  where: string,
  param: string,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await withTransaction(dataSource, async (manager) => {
      // Structured result: EntityManager.query() shapes DELETE results differently per driver.
      const result = await manager.queryRunner!.query(
        `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ${BATCH})`,
        [param],
        true,
      );
      return Number(result.affected ?? 0);
    });
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
