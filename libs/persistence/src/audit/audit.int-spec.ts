import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { dialectOf } from '../data-source/dialect';
import { withTransaction } from '../data-source/transaction';
import { runMigrations } from '../migrations/run-migrations';
import { openDataSource } from '../data-source/open-data-source';
import { columnTypes } from '../sql/column-types';
import { insertRider } from '../sql/insert-many';
import type { Rider } from '../sql/rider';
import { openTestDatabase, TEST_DATABASE_URL, TEST_DIALECTS, type TestDatabase } from '../testing/test-database';
import { appendAudit } from './append-audit';
import type { AuditEntry } from './audit-record';
import { auditMigration } from './audit.migration';
import { auditTrail } from './audit-trail';
import { verifyAudit } from './verify-audit';

const T = 'review_audit';

const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: { user: `reviewer-${i % 3}`, role: 'reviewer' },
  entityType: 'evaluation',
  entityId: `ev_${i % 10}`,
  action: 'approve',
  fromState: 'in_review',
  toState: 'approved',
  reason: i % 2 ? null : `理由 ${i}`,
  payload: { i, grade: '优' },
  ...extra,
});

async function append(ds: DataSource, from: number, count: number) {
  return withTransaction(ds, (m) =>
    appendAudit(
      m,
      T,
      Array.from({ length: count }, (_, k) => entry(from + k)),
    ),
  );
}

/** Tampering needs the append-only triggers out of the way, as an attacker with DDL rights would do. */
async function dropTriggers(ds: DataSource) {
  if (dialectOf(ds) === 'postgres') {
    await ds.query(`DROP TRIGGER ${T}_append_only ON ${T}`);
  } else {
    await ds.query(`DROP TRIGGER ${T}_no_update`);
    await ds.query(`DROP TRIGGER ${T}_no_delete`);
  }
}

describe.each(TEST_DIALECTS)('audit log on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeEach(async () => {
    db = await openTestDatabase(dialect, { name: 'review', entities: [], migrations: [auditMigration(T)] });
    ds = db.dataSource;
    expect((await runMigrations(ds)).map((m) => m.name)).toEqual(['CreateReviewAudit1763700000000']);
  });
  afterEach(async () => db?.close());

  it('migrations are applied once', async () => {
    expect(await runMigrations(ds)).toEqual([]);
    expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: 0 });
    if (dialect === 'postgres') {
      const rows = await ds.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = '${T}'`);
      expect(rows).toEqual([{ table_schema: db.location }]);
    }
  });

  it('appends in the caller transaction and verifies the chain across appends', async () => {
    await append(ds, 0, 5);
    const second = await append(ds, 5, 3000);
    expect(second[0].seq).toBe(6);
    expect(second.at(-1)?.seq).toBe(3005);
    expect(await verifyAudit(ds, T, { batchSize: 7 })).toEqual({ ok: true, records: 3005 });
    const trail = await auditTrail(ds.manager, T, 'evaluation', 'ev_3');
    expect(trail.length).toBe(301);
    expect(trail[0]).toMatchObject({ seq: 4, actorUser: 'reviewer-0', toState: 'approved' });
  });

  it('skips entries whose dedupe key is already logged (a re-run chunk appends nothing twice)', async () => {
    const chunk = (from: number, n: number) =>
      Array.from({ length: n }, (_, k) => entry(from + k, { dedupeKey: `rescore:run-1:ev_${from + k}` }));
    const first = await withTransaction(ds, (m) => appendAudit(m, T, chunk(0, 1500)));
    const rerun = await withTransaction(ds, (m) => appendAudit(m, T, chunk(0, 1500)));
    const overlapping = await withTransaction(ds, (m) =>
      appendAudit(m, T, [...chunk(1000, 600), entry(9999), ...chunk(1600, 1)]),
    );
    expect(first).toHaveLength(1500);
    expect(rerun).toEqual([]);
    expect(overlapping.map((r) => r.dedupeKey)).toEqual([
      ...Array.from({ length: 100 }, (_, k) => `rescore:run-1:ev_${1500 + k}`),
      null,
      'rescore:run-1:ev_1600',
    ]);
    expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: 1602 });
  });

  it('refuses to append outside a transaction', async () => {
    await expect(appendAudit(ds.manager, T, [entry(1)])).rejects.toThrow(/inside a transaction/);
  });

  it('a rolled-back transaction leaves no record and the chain intact', async () => {
    await append(ds, 0, 3);
    await expect(
      withTransaction(ds, async (m) => {
        await appendAudit(m, T, [entry(3), entry(4)]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await append(ds, 5, 1);
    expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: 4 });
  });

  it('concurrent appenders produce one gap-free chain', async () => {
    await Promise.all(Array.from({ length: 16 }, (_, k) => append(ds, k * 10, 1 + (k % 4))));
    const rows: Array<{ seq: unknown }> = await ds.query(`SELECT seq FROM ${T} ORDER BY seq`);
    const total = Array.from({ length: 16 }, (_, k) => 1 + (k % 4)).reduce((a, b) => a + b, 0);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: total });
  });

  it('appenders in two processes (two data sources on one database) keep one chain', async () => {
    const other =
      dialect === 'postgres'
        ? await openDataSource({
            name: 'review',
            databaseUrl: TEST_DATABASE_URL,
            schema: db.location,
            poolSize: 3,
            entities: [],
            migrations: [],
          })
        : null;
    try {
      const second = other ?? ds;
      await append(ds, 0, 2);
      await append(second, 2, 3); // the first process's idea of the head is now stale
      await append(ds, 5, 1);
      await Promise.all([append(ds, 10, 2), append(second, 20, 2), append(ds, 30, 1), append(second, 40, 3)]);
      await expect(
        withTransaction(second, async (m) => {
          await appendAudit(m, T, [entry(50)]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await append(second, 60, 1); // chains after the rolled-back head's predecessor
      await append(ds, 70, 1);
      const rows: Array<{ seq: unknown }> = await ds.query(`SELECT seq FROM ${T} ORDER BY seq`);
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: 16 });
    } finally {
      await other?.destroy();
    }
  });

  it("riders (the transaction's other writes) travel in the records' statement on PostgreSQL, each written once, whatever path the append takes", async () => {
    await ds.query(`CREATE TABLE audit_riders (k varchar(20) PRIMARY KEY)`);
    // the table's column types, read before any statement is counted (riders of it go prepared on PostgreSQL)
    expect(await columnTypes(ds.manager, 'audit_riders', ['k'])).toEqual(dialect === 'postgres' ? ['character varying'] : null);
    const counted: number[] = [];
    const rider = async (m: Parameters<typeof insertRider>[0], ...keys: string[]): Promise<Rider> => {
      const r = (await insertRider(m, 'audit_riders', ['k'], keys.map((k) => [k]), { written: (n) => counted.push(n) }))!;
      expect(r.fixed === true).toBe(dialect === 'postgres');
      return r;
    };
    /** Statements the transaction sent while `fn` ran (on PostgreSQL counted at the driver: prepared ones bypass TypeORM). */
    const statements = async (fn: (m: Parameters<typeof insertRider>[0]) => Promise<unknown>) =>
      withTransaction(ds, async (m) => {
        type Queryable = { query: (...args: unknown[]) => unknown };
        const target = (dialect === 'postgres' ? (m.queryRunner as unknown as { databaseConnection: Queryable }).databaseConnection : m) as Queryable;
        const query = target.query;
        let n = 0;
        target.query = function (this: unknown, ...args: unknown[]) {
          n += 1;
          return query.apply(this, args);
        };
        try {
          await fn(m);
        } finally {
          target.query = query;
        }
        return n;
      });
    await append(ds, 0, 1); // this process now knows the head
    // the usual case: the head is where this process left it
    expect(
      await statements(async (m) => appendAudit(m, T, [entry(1)], [await rider(m, 'a', 'b'), await rider(m, 'c')])),
    ).toBe(
      dialect === 'postgres' ? 1 : 6, // SQLite: each rider, then the head locked (two statements), the records, the head moved
    );
    // no records to append: the riders go alone
    await statements(async (m) => appendAudit(m, T, [], [await rider(m, 'd')]));
    // a dedupe key (the head is locked and the log searched first)
    await statements(async (m) => appendAudit(m, T, [entry(2, { dedupeKey: 'k-2' })], [await rider(m, 'e')]));
    // and again: nothing to append, the rider is still written
    await statements(async (m) => appendAudit(m, T, [entry(2, { dedupeKey: 'k-2' })], [await rider(m, 'f')]));
    if (dialect === 'postgres') {
      // another process moved the head: the guess fails after the riders wrote, the records are chained again
      const other = await openDataSource({ name: 'review', databaseUrl: TEST_DATABASE_URL, schema: db.location, poolSize: 1, entities: [], migrations: [] });
      try {
        await append(other, 3, 2);
      } finally {
        await other.destroy();
      }
      expect(await statements(async (m) => appendAudit(m, T, [entry(5)], [await rider(m, 'g')]))).toBe(3);
    }
    const keys: Array<{ k: string }> = await ds.query(`SELECT k FROM audit_riders ORDER BY k`);
    expect(keys.map((r) => r.k)).toEqual(dialect === 'postgres' ? ['a', 'b', 'c', 'd', 'e', 'f', 'g'] : ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(counted).toEqual(dialect === 'postgres' ? [2, 1, 1, 1, 1, 1] : [2, 1, 1, 1, 1]);
    expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: dialect === 'postgres' ? 6 : 3 });
  });

  it('several appends in one transaction chain on each other', async () => {
    await append(ds, 0, 1);
    const records = await withTransaction(ds, async (m) => [
      ...(await appendAudit(m, T, [entry(1)])),
      ...(await appendAudit(m, T, [entry(2), entry(3)])),
      ...(await appendAudit(m, T, [entry(4, { dedupeKey: 'k-4' })])),
      ...(await appendAudit(m, T, [entry(5)])),
    ]);
    expect(records.map((r) => r.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: 6 });
  });

  it('verifying while others append reports no false tampering', async () => {
    await append(ds, 0, 50);
    const appends = Promise.all(Array.from({ length: 6 }, (_, k) => append(ds, 100 * k, 40)));
    const verifications = Promise.all([verifyAudit(ds, T, { batchSize: 10 }), verifyAudit(ds, T, { batchSize: 3 })]);
    const [, results] = await Promise.all([appends, verifications]);
    for (const r of results) {
      expect(r.ok).toBe(true);
      expect(r.records).toBeGreaterThanOrEqual(50);
    }
    expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: 290 });
  });

  it('the database refuses UPDATE and DELETE of audit records', async () => {
    await append(ds, 0, 3);
    await expect(ds.query(`UPDATE ${T} SET reason = 'edited' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM ${T} WHERE seq = 2`)).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') await expect(ds.query(`TRUNCATE ${T}`)).rejects.toThrow(/append-only/);
    await expect(ds.query(`UPDATE ${T}_head SET seq = 1 WHERE id = 1`)).rejects.toThrow(/only moves forward/);
    expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: 3 });
  });

  describe('tampering is detected and named', () => {
    beforeEach(async () => {
      await append(ds, 0, 20);
      await dropTriggers(ds);
    });

    it('a modified record', async () => {
      await ds.query(`UPDATE ${T} SET to_state = 'returned' WHERE seq = 7`);
      expect(await verifyAudit(ds, T, { batchSize: 4 })).toEqual({
        ok: false,
        records: 6,
        firstBad: { seq: 7, reason: 'modified' },
      });
    });

    it('a modified payload hash', async () => {
      await ds.query(`UPDATE ${T} SET payload_hash = 'sha256:${'f'.repeat(64)}' WHERE seq = 12`);
      expect(await verifyAudit(ds, T)).toMatchObject({ ok: false, firstBad: { seq: 12, reason: 'modified' } });
    });

    it('a deleted record', async () => {
      await ds.query(`DELETE FROM ${T} WHERE seq = 9`);
      expect(await verifyAudit(ds, T)).toEqual({ ok: false, records: 8, firstBad: { seq: 9, reason: 'deleted' } });
    });

    it('the last record deleted', async () => {
      await ds.query(`DELETE FROM ${T} WHERE seq = 20`);
      expect(await verifyAudit(ds, T)).toEqual({ ok: false, records: 19, firstBad: { seq: 20, reason: 'deleted' } });
    });

    it('a fake record appended at the end', async () => {
      const [last] = await ds.query(`SELECT * FROM ${T} WHERE seq = 20`);
      await ds.query(
        `INSERT INTO ${T} (seq, at, actor_user, actor_role, entity_type, entity_id, action, from_state, to_state, reason, payload_hash, prev_hash, hash)
         SELECT 21, at, actor_user, actor_role, entity_type, entity_id, action, from_state, to_state, reason, payload_hash, hash, hash FROM ${T} WHERE seq = 20`,
      );
      expect(last).toBeTruthy();
      expect(await verifyAudit(ds, T)).toMatchObject({
        ok: false,
        records: 20,
        firstBad: { seq: 21, reason: 'inserted' },
      });
    });

    it('a fake record inserted in the middle (later records renumbered)', async () => {
      await ds.query(`UPDATE ${T} SET seq = -(seq + 1) WHERE seq >= 5`);
      await ds.query(`UPDATE ${T} SET seq = -seq WHERE seq < 0`);
      await ds.query(
        `INSERT INTO ${T} (seq, at, actor_user, actor_role, entity_type, entity_id, action, from_state, to_state, reason, payload_hash, prev_hash, hash)
         VALUES (5, '2024-01-01T00:00:00.000Z', 'intruder', 'reviewer', 'evaluation', 'ev_x', 'approve', 'in_review', 'approved', NULL,
                 'sha256:${'a'.repeat(64)}', 'sha256:${'b'.repeat(64)}', 'sha256:${'c'.repeat(64)}')`,
      );
      expect(await verifyAudit(ds, T)).toEqual({ ok: false, records: 4, firstBad: { seq: 5, reason: 'inserted' } });
    });

    it('two records swapped', async () => {
      await ds.query(`UPDATE ${T} SET seq = -1 WHERE seq = 14`);
      await ds.query(`UPDATE ${T} SET seq = 14 WHERE seq = 15`);
      await ds.query(`UPDATE ${T} SET seq = 15 WHERE seq = -1`);
      expect(await verifyAudit(ds, T, { batchSize: 5 })).toEqual({
        ok: false,
        records: 13,
        firstBad: { seq: 14, reason: 'reordered' },
      });
    });

    it('untouched after the triggers were dropped: still ok', async () => {
      expect(await verifyAudit(ds, T)).toEqual({ ok: true, records: 20 });
    });
  });
});
