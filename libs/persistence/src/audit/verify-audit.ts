import type { DataSource } from 'typeorm';
import { assertIdentifier, dialectOf, placeholder, type Dialect } from '../data-source/dialect';
import { computeRecordHash, GENESIS_HASH, rowToRecord, type AuditRecord, type ChainHead } from './audit-record';

export type AuditTamper = 'modified' | 'deleted' | 'inserted' | 'reordered';

/** `records`: how many records were checked and found intact (all of them when ok). */
export type AuditVerification =
  { ok: true; records: number } | { ok: false; records: number; firstBad: { seq: number; reason: AuditTamper } };

/**
 * Walks the whole chain in seq order, `batchSize` records at a time (keyset pagination: memory stays flat for
 * millions of records), recomputing every hash, and names the first record that breaks it. The head row anchors
 * the end of the chain, so removing or appending records at the tail is caught too. Appends running at the same
 * time are fine: the head is re-read before a record past it is called inserted.
 */
export async function verifyAudit(
  dataSource: DataSource,
  table: string,
  options: { batchSize?: number } = {},
): Promise<AuditVerification> {
  const t = assertIdentifier(table);
  const dialect = dialectOf(dataSource);
  const batchSize = options.batchSize ?? 5_000;
  const p = (i: number) => placeholder(dialect, i);
  let head = await readHead(dataSource, t);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let previous: AuditRecord | null = null;
  let records = 0;
  const bad = (seq: number, reason: AuditTamper): AuditVerification => ({
    ok: false,
    records,
    firstBad: { seq, reason },
  });

  for (let headRereadAtEnd = false; ;) {
    const rows: Record<string, unknown>[] = await dataSource.query(
      `SELECT * FROM ${t} WHERE seq >= ${p(1)} ORDER BY seq LIMIT ${Number(batchSize)}`,
      [expectedSeq],
    );
    if (rows.length === 0) {
      // Rows committed after our last batch but before the head we read: look once more.
      if (!headRereadAtEnd && expectedSeq - 1 < head.seq) {
        headRereadAtEnd = true;
        continue;
      }
      break;
    }
    headRereadAtEnd = false;
    for (const row of rows) {
      const record = rowToRecord(row);
      if (record.seq > head.seq) {
        head = await readHead(dataSource, t);
        if (record.seq > head.seq) return bad(record.seq, 'inserted');
      }
      if (record.seq > expectedSeq) return bad(expectedSeq, 'deleted');
      const intact = computeRecordHash(record) === record.hash;
      if (record.prevHash !== prevHash) {
        const finding = await classifyBrokenLink(dataSource, dialect, t, record, intact, prevHash, previous);
        return bad(finding.seq, finding.reason);
      }
      if (!intact) return bad(record.seq, 'modified');
      prevHash = record.hash;
      previous = record;
      expectedSeq = record.seq + 1;
      records += 1;
    }
  }
  const lastSeq = expectedSeq - 1;
  if (lastSeq < head.seq) return bad(expectedSeq, 'deleted');
  // The tail rewritten with freshly computed hashes still disagrees with the head.
  if (head.seq > 0 && prevHash !== head.hash) return bad(head.seq, 'modified');
  return { ok: true, records };
}

/**
 * `record` does not point at the record before it. Which tampering explains that?
 * - it points at a record found later in the table → records were swapped (reordered);
 * - it repeats the previous record's link → the previous record is an intruder (inserted);
 * - the true successor of the previous record is found later → this record is an intruder (inserted);
 * - otherwise something was rewritten (modified) or removed with renumbering (deleted).
 */
async function classifyBrokenLink(
  dataSource: DataSource,
  dialect: Dialect,
  t: string,
  record: AuditRecord,
  intact: boolean,
  expectedPrevHash: string,
  previous: AuditRecord | null,
): Promise<{ seq: number; reason: AuditTamper }> {
  const p = (i: number) => placeholder(dialect, i);
  const later = async (column: 'hash' | 'prev_hash', value: string) =>
    (
      await dataSource.query(`SELECT seq FROM ${t} WHERE seq > ${p(1)} AND ${column} = ${p(2)} LIMIT 1`, [
        record.seq,
        value,
      ])
    ).length > 0;

  if (previous && record.prevHash === previous.prevHash) return { seq: previous.seq, reason: 'inserted' };
  if (await later('hash', record.prevHash)) return { seq: record.seq, reason: 'reordered' };
  if (await later('prev_hash', expectedPrevHash)) return { seq: record.seq, reason: 'inserted' };
  if (intact) return { seq: previous?.seq ?? record.seq, reason: 'modified' };
  // Intact but for its number: a record before it was removed and the rest renumbered.
  if (computeRecordHash({ ...record, seq: record.seq + 1 }) === record.hash)
    return { seq: record.seq, reason: 'deleted' };
  return { seq: record.seq, reason: 'modified' };
}

async function readHead(dataSource: DataSource, t: string): Promise<ChainHead> {
  const rows: Array<{ seq: unknown; hash: string }> = await dataSource.query(
    `SELECT seq, hash FROM ${t}_head WHERE id = 1`,
  );
  // A deleted head (only possible with the triggers dropped) leaves nothing to anchor the tail: treat as empty.
  if (rows.length !== 1) return { seq: 0, hash: GENESIS_HASH };
  return { seq: Number(rows[0].seq), hash: rows[0].hash };
}
