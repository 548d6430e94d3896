import type { EntityManager } from 'typeorm';
import { assertIdentifier, dialectOf } from '../data-source/dialect';
import { assertInTransaction } from '../data-source/transaction';
import { insertMany } from '../sql/insert-many';
import { AUDIT_COLUMNS, AUDIT_PG_TYPES, chainRecords, recordToRow, type AuditEntry, type AuditRecord, type ChainHead } from './audit-record';

/**
 * Appends entries to the hash-chained audit log `table`, inside the caller's transaction (so the records commit
 * or roll back with the change they describe). Set-based: one multi-row INSERT per thousand records.
 *
 * The chain is serialised on its head row: `SELECT … FOR UPDATE` on PostgreSQL (concurrent appenders wait for
 * the holder's commit), a write to the head first on SQLite (single writer). Append late in a long transaction:
 * the head stays locked until commit.
 */
export async function appendAudit(manager: EntityManager, table: string, entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
  if (entries.length === 0) return [];
  assertInTransaction(manager, 'appendAudit');
  const t = assertIdentifier(table);
  const head = await lockHead(manager, t);
  const records = chainRecords(head, entries, new Date().toISOString());
  await insertMany(manager, t, [...AUDIT_COLUMNS], records.map(recordToRow), { pgTypes: AUDIT_PG_TYPES });
  const last = records[records.length - 1];
  const params = [last.seq, last.hash];
  await manager.query(
    dialectOf(manager) === 'postgres'
      ? `UPDATE ${t}_head SET seq = $1, hash = $2 WHERE id = 1`
      : `UPDATE ${t}_head SET seq = ?, hash = ? WHERE id = 1`,
    params,
  );
  return records;
}

async function lockHead(manager: EntityManager, t: string): Promise<ChainHead> {
  let rows: Array<{ seq: unknown; hash: string }>;
  if (dialectOf(manager) === 'postgres') {
    rows = await manager.query(`SELECT seq, hash FROM ${t}_head WHERE id = 1 FOR UPDATE`);
  } else {
    await manager.query(`UPDATE ${t}_head SET seq = seq WHERE id = 1`);
    rows = await manager.query(`SELECT seq, hash FROM ${t}_head WHERE id = 1`);
  }
  if (rows.length !== 1) throw new Error(`audit chain head ${t}_head is missing: was the audit migration run?`);
  return { seq: Number(rows[0].seq), hash: rows[0].hash };
}
