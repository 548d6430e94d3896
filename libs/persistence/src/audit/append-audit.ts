import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { assertIdentifier, dialectOf } from '../data-source/dialect';
import { assertInTransaction } from '../data-source/transaction';
import { columnRows } from '../sql/column-rows';
import { insertMany } from '../sql/insert-many';
import { queryMaybeFixed } from '../sql/prepared';
import { allFixed, riderCtes, ridersWritten, runRider, type Rider } from '../sql/rider';
import {
  AUDIT_COLUMNS,
  AUDIT_PG_TYPES,
  chainPrepared,
  prepareAuditEntry,
  recordToRow,
  type AuditEntry,
  type AuditRecord,
  type ChainHead,
  type PreparedAuditEntry,
} from './audit-record';

/**
 * Appends entries to the hash-chained audit log `table`, inside the caller's transaction (so the records commit
 * or roll back with the change they describe). Set-based: one multi-row INSERT per thousand records.
 *
 * The chain is serialised on its head row. PostgreSQL, a few records (the usual case): one statement that moves the
 * head from the head this process last wrote (or this transaction wrote) to the new one — a compare-and-set: it takes
 * the head's row lock, waits for a concurrent holder's commit and re-checks — and inserts the records only if the
 * head was where we chained from. If it was not (another process appended, or the transaction we chained after
 * rolled back), the head is read `FOR UPDATE` and the records are chained again. Otherwise (SQLite, dedupe keys,
 * more than GUESS_MAX records): the head is locked first (`SELECT … FOR UPDATE`; a write to the head on SQLite,
 * single writer), then one statement moves it and inserts the records (PostgreSQL, up to 5,000) or a multi-row
 * INSERT does.
 * Either way the head stays locked until commit: append late in a long transaction. Returns the records written:
 * entries whose `dedupeKey` is already in the log are left out.
 *
 * `riders`: the transaction's other writes of the moment (its outbox events, the rows the records describe), which
 * on PostgreSQL travel in the first statement that moves the head (one round trip for all); elsewhere, or when no
 * such statement is due, each runs alone first. They run whether or not that statement's compare-and-set succeeds.
 */
export async function appendAudit(
  manager: EntityManager,
  table: string,
  entries: readonly AuditEntry[] | readonly PreparedAuditEntry[],
  riders: readonly Rider[] = [],
): Promise<AuditRecord[]> {
  let pending = riders;
  const runPending = async () => {
    for (const r of pending) await runRider(manager, r);
    pending = [];
  };
  if (entries.length === 0) {
    await runPending();
    return [];
  }
  assertInTransaction(manager, 'appendAudit');
  const t = assertIdentifier(table);
  const pg = dialectOf(manager) === 'postgres';
  const now = new Date().toISOString();
  // everything but the chain links, once (or by the caller, as it made them): a chain redone under the head's
  // lock costs a hash per record
  const prepared = entries.map((e) => ('json' in e ? e : prepareAuditEntry(e, now)));
  const hasKeys = prepared.some((e) => e.fields.dedupeKey);
  const fast = pg && entries.length <= FAST_PATH_MAX;

  if (fast && !hasKeys && entries.length <= GUESS_MAX) {
    const guess = heldHeads(manager.queryRunner!).get(t) ?? lastWritten(manager.connection).get(t);
    if (guess) {
      const records = chainPrepared(guess, prepared);
      const riding = pending;
      pending = [];
      if (await insertIfHeadIs(manager, t, guess, records, riding)) return remember(manager, t, records);
    }
  }

  if (!fast) await runPending();
  const head = await lockHead(manager, t);
  const fresh = hasKeys ? await withoutKnownKeys(manager, t, prepared) : prepared;
  if (fresh.length === 0) {
    await runPending();
    return [];
  }
  const records = chainPrepared(head, fresh);
  if (fast) {
    // we hold the lock: the compare-and-set cannot fail
    const riding = pending;
    pending = [];
    if (!(await insertIfHeadIs(manager, t, head, records, riding)))
      throw new Error(`audit chain head ${t}_head moved while locked`);
    return remember(manager, t, records);
  }
  await insertMany(manager, t, [...AUDIT_COLUMNS], records.map(recordToRow), { pgTypes: AUDIT_PG_TYPES });
  const last = records[records.length - 1];
  await manager.query(
    pg
      ? `UPDATE ${t}_head SET seq = $1, hash = $2 WHERE id = 1`
      : `UPDATE ${t}_head SET seq = ?, hash = ? WHERE id = 1`,
    [last.seq, last.hash],
  );
  if (pg) remember(manager, t, records);
  return records;
}

/** Records per compare-and-set statement (one text per column: far below the bind-parameter limits). */
const FAST_PATH_MAX = 5_000;

/**
 * Most records worth chaining on a guess of the head. A wrong guess costs the chain's hashes and the statement (with
 * all the records) again: for re-scoring chunks of a thousand records, two processes taking turns at the chain, it
 * was wrong for ~64 of 100 chunks (167 audit statements for 100 chunks in `pg_stat_statements`), where locking the
 * head first costs one round trip.
 */
const GUESS_MAX = 100;

/** PostgreSQL: the head each transaction wrote, per table (TypeORM gives each transaction its own query runner). */
const heldByTransaction = new WeakMap<QueryRunner, Map<string, ChainHead>>();
/** The head this process last wrote per data source and table: possibly not committed (yet, or ever). */
const writtenByProcess = new WeakMap<DataSource, Map<string, ChainHead>>();

function heldHeads(queryRunner: QueryRunner): Map<string, ChainHead> {
  let m = heldByTransaction.get(queryRunner);
  if (!m) heldByTransaction.set(queryRunner, (m = new Map()));
  return m;
}

function lastWritten(dataSource: DataSource): Map<string, ChainHead> {
  let m = writtenByProcess.get(dataSource);
  if (!m) writtenByProcess.set(dataSource, (m = new Map()));
  return m;
}

function remember(manager: EntityManager, t: string, records: AuditRecord[]) {
  const last = records[records.length - 1];
  const head = { seq: last.seq, hash: last.hash };
  heldHeads(manager.queryRunner!).set(t, head);
  lastWritten(manager.connection).set(t, head);
  return records;
}

/**
 * PostgreSQL, one statement: moves the head from `from` to the last record and inserts the records, or does
 * neither (the head was elsewhere once its row lock was ours); the riders write either way. True when the records
 * were written.
 */
async function insertIfHeadIs(
  manager: EntityManager,
  t: string,
  from: ChainHead,
  records: AuditRecord[],
  riders: readonly Rider[] = [],
): Promise<boolean> {
  const n = AUDIT_COLUMNS.length;
  const last = records[records.length - 1];
  const rows = records.map(recordToRow);
  const { source, params } = columnRows(
    AUDIT_COLUMNS,
    AUDIT_PG_TYPES,
    AUDIT_COLUMNS.map((_, c) => rows.map((row) => row[c])),
    'r',
  );
  const own = [...params, last.seq, last.hash, from.seq, from.hash];
  const ride = riderCtes(riders, own.length);
  const sql =
    `WITH ${ride.ctes}head AS (UPDATE ${t}_head SET seq = $${n + 1}, hash = $${n + 2} WHERE id = 1 AND seq = $${n + 3} AND hash = $${n + 4} RETURNING 1) ` +
    `, ins AS (INSERT INTO ${t} (${AUDIT_COLUMNS.join(', ')}) SELECT * FROM ${source} WHERE EXISTS (SELECT 1 FROM head) RETURNING 1) ` +
    `SELECT (SELECT COUNT(*) FROM ins)::int AS n${ride.counts}`;
  // its own rows travel one parameter per column: prepared unless a rider's text depends on its rows
  const counted: Array<{ n: number } & Record<string, unknown>> = await queryMaybeFixed(
    manager,
    sql,
    [...own, ...ride.params],
    allFixed(riders),
  );
  ridersWritten(riders, counted[0]);
  const written = Number(counted[0].n);
  if (written === records.length) return true;
  if (written === 0) return false;
  throw new Error(`audit ${t}: ${written} of ${records.length} records written`);
}

/** Drops entries whose dedupe key is already in the log (or earlier in the same call). Runs under the head lock. */
async function withoutKnownKeys(
  manager: EntityManager,
  t: string,
  entries: readonly PreparedAuditEntry[],
): Promise<readonly PreparedAuditEntry[]> {
  const keys = entries.flatMap((e) => (e.fields.dedupeKey ? [e.fields.dedupeKey] : []));
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
  return entries.filter(({ fields: { dedupeKey } }) => {
    if (!dedupeKey) return true;
    if (known.has(dedupeKey)) return false;
    known.add(dedupeKey);
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
