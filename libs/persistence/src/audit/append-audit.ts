import type { EntityManager } from 'typeorm';
import { assertIdentifier, dialectOf } from '../data-source/dialect';
import { assertInTransaction } from '../data-source/transaction';
import { insertMany } from '../sql/insert-many';
import {
  AUDIT_COLUMNS,
  AUDIT_PG_TYPES,
  chainRecords,
  recordToRow,
  type AuditEntry,
  type AuditRecord,
  type ChainHead,
} from './audit-record';

/**
 * Appends entries to the hash-chained audit log `table`, inside the caller's transaction (so the records commit
 * or roll back with the change they describe). Set-based: one multi-row INSERT per thousand records.
 *
 * The chain is serialised on its head row: `SELECT … FOR UPDATE` on PostgreSQL (concurrent appenders wait for
 * the holder's commit), a write to the head first on SQLite (single writer). Append late in a long transaction:
 * the head stays locked until commit. Returns the records written: entries whose `dedupeKey` is already in the
 * log are left out.
 */
export async function appendAudit(
  manager: EntityManager,
  table: string,
  entries: readonly AuditEntry[],
): Promise<AuditRecord[]> {
  if (entries.length === 0) return [];
  assertInTransaction(manager, 'appendAudit');
  const t = assertIdentifier(table);
  const head = await lockHead(manager, t);
  const fresh = await withoutKnownKeys(manager, t, entries);
  if (fresh.length === 0) return [];
  const records = chainRecords(head, fresh, new Date().toISOString());
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

/** Drops entries whose dedupe key is already in the log (or earlier in the same call). Runs under the head lock. */
async function withoutKnownKeys(
  manager: EntityManager,
  t: string,
  entries: readonly AuditEntry[],
): Promise<readonly AuditEntry[]> {
  const keys = entries.flatMap((e) => (e.dedupeKey ? [e.dedupeKey] : []));
  if (keys.length === 0) return entries;
  const pg = dialectOf(manager) === 'postgres';
  const known = new Set<string>();
  for (let start = 0; start < keys.length; start += 1_000) {
    const chunk = keys.slice(start, start + 1_000);
    const rows: Array<{ dedupe_key: string }> = pg
      ? await manager.query(`SELECT dedupe_key FROM ${t} WHERE dedupe_key = ANY($1::text[])`, [chunk])
      : await manager.query(
          `SELECT dedupe_key FROM ${t} WHERE dedupe_key IN (${chunk.map(() => '?').join(', ')})`,
          chunk,
        );
    for (const row of rows) known.add(row.dedupe_key);
  }
  return entries.filter((e) => {
    if (!e.dedupeKey) return true;
    if (known.has(e.dedupeKey)) return false;
    known.add(e.dedupeKey);
    return true;
  });
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
