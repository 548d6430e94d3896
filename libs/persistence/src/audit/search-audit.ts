import type { EntityManager } from 'typeorm';
import { assertIdentifier, dialectOf, placeholder } from '../data-source/dialect';
import { rowToRecord, type AuditRecord } from './audit-record';

/** What an auditor looks for in a service's log: each given condition must hold. */
export interface AuditSearch {
  /** The actor's user, exactly (`li`, `jixiao-cli`, `review`). */
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** ISO instants: records at or after `since`, before `until`. */
  since?: string;
  until?: string;
  /** Records before this sequence number (the next page of a newest-first list). */
  before?: number;
  limit: number;
}

export interface AuditPage {
  /** Newest first. */
  records: AuditRecord[];
  /** The `before` of the next page, when there are older records that match. */
  next: number | null;
}

/**
 * A service's audit records that match, newest first, a page at a time (`before` the last one shown). Walks the log
 * backwards by its primary key; conditions on the entity use its (entity_type, entity_id, seq) index.
 */
export async function searchAudit(manager: EntityManager, table: string, q: AuditSearch): Promise<AuditPage> {
  const d = dialectOf(manager);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(`${sql} ${placeholder(d, params.length)}`);
  };
  if (q.actor) add('actor_user =', q.actor);
  if (q.action) add('action =', q.action);
  if (q.entityType) add('entity_type =', q.entityType);
  if (q.entityId) add('entity_id =', q.entityId);
  if (q.since) add('at >=', q.since);
  if (q.until) add('at <', q.until);
  if (q.before !== undefined) add('seq <', q.before);
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT * FROM ${assertIdentifier(table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${
      Math.max(1, Math.floor(q.limit)) + 1
    }`,
    params,
  );
  const records = rows.slice(0, q.limit).map(rowToRecord);
  return { records, next: rows.length > q.limit ? records[records.length - 1].seq : null };
}
