import type { EntityManager } from 'typeorm';
import { assertIdentifier, dialectOf, placeholder } from '../data-source/dialect';
import { rowToRecord, type AuditRecord } from './audit-record';

/** One entity's trail, oldest first (uses the (entity_type, entity_id, seq) index). */
export async function auditTrail(
  manager: EntityManager,
  table: string,
  entityType: string,
  entityId: string,
): Promise<AuditRecord[]> {
  const d = dialectOf(manager);
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT * FROM ${assertIdentifier(table)} WHERE entity_type = ${placeholder(d, 1)} AND entity_id = ${placeholder(d, 2)} ORDER BY seq`,
    [entityType, entityId],
  );
  return rows.map(rowToRecord);
}
