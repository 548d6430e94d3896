import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { openTestDatabase, type TestDatabase } from '../testing/test-database';
import { withTransaction } from '../data-source/transaction';
import { columnTypes, forgetColumnTypes } from './column-types';
import { insertMany, insertRider } from './insert-many';
import { queryFixed, statementName } from './prepared';
import { runRider } from './rider';

type Dialect = 'postgres' | 'sqlite';

/** Statements the transaction's connection was sent while `fn` ran, named (prepared) or not. */
async function sent(db: TestDatabase, fn: (m: EntityManager) => Promise<unknown>) {
  return withTransaction(db.dataSource, async (m) => {
    const log: Array<{ named: boolean; text: string }> = [];
    type Queryable = { query: (...args: unknown[]) => unknown };
    const client = (m.queryRunner as unknown as { databaseConnection: Queryable }).databaseConnection;
    const query = client.query;
    client.query = function (this: unknown, ...args: unknown[]) {
      const config = args[0] as string | { name?: string; text: string };
      log.push(typeof config === 'string' ? { named: false, text: config } : { named: !!config.name, text: config.text });
      return query.apply(this, args);
    };
    try {
      await fn(m);
    } finally {
      client.query = query;
    }
    return log;
  });
}

describe.each<Dialect>(['postgres', 'sqlite'])('prepared statements and column types on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect, { name: 'prepared', entities: [], migrations: [] });
    await db.dataSource.query(`CREATE TABLE p (id integer PRIMARY KEY, name varchar(40), x float8, at timestamptz, raw bytea, note text)`);
  });
  afterAll(async () => db?.close());

  it('answers as manager.query does: rows, and [rows, count] for UPDATE and DELETE', async () => {
    await withTransaction(db.dataSource, async (m) => {
      const p = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
      const inserted = await queryFixed(m, `INSERT INTO p (id, name) VALUES (${p(1)}, ${p(2)}), (${p(3)}, ${p(4)}) RETURNING id`, [1, 'a', 2, 'b']);
      expect(inserted).toEqual(await Promise.resolve([{ id: 1 }, { id: 2 }]));
      const updated = await queryFixed(m, `UPDATE p SET note = ${p(1)} WHERE id = ${p(2)} RETURNING id`, ['n', 1]);
      const deleted = await queryFixed(m, `DELETE FROM p WHERE id = ${p(1)} RETURNING id`, [2]);
      const selected = await queryFixed(m, `SELECT id, name, note FROM p ORDER BY id`, []);
      // what TypeORM answers for the same statements (on SQLite it is TypeORM's query)
      if (dialect === 'postgres') {
        expect(updated).toEqual([[{ id: 1 }], 1]);
        expect(deleted).toEqual([[{ id: 2 }], 1]);
      }
      expect(selected).toEqual([{ id: 1, name: 'a', note: 'n' }]);
      await m.query(`DELETE FROM p`);
    });
  });

  it('fails as TypeORM does, and a statement that failed to prepare is prepared again next time', async () => {
    const failing = (m: EntityManager) => queryFixed(m, `SELECT nope FROM p`, []);
    if (dialect === 'postgres') await expect(withTransaction(db.dataSource, failing)).rejects.toBeInstanceOf(QueryFailedError);
    await expect(withTransaction(db.dataSource, failing)).rejects.toThrow(/nope/);
    await db.dataSource.query(`ALTER TABLE p ADD COLUMN nope integer`);
    try {
      expect(await withTransaction(db.dataSource, failing)).toEqual([]);
    } finally {
      await db.dataSource.query(`ALTER TABLE p DROP COLUMN nope`);
    }
  });

  it('names a statement after its text: the same text the same name, another text another', () => {
    const a = statementName('SELECT 1');
    expect(statementName('SELECT 1')).toBe(a);
    expect(statementName('SELECT 2')).not.toBe(a);
    expect(a).toMatch(/^jx_[0-9a-f]{32}$/);
  });

  if (dialect === 'sqlite') {
    it('has no column types on SQLite: rows go as VALUES, riders are not fixed', async () => {
      expect(await columnTypes(db.dataSource.manager, 'p', ['id'])).toBeNull();
      const rider = await withTransaction(db.dataSource, (m) => insertRider(m, 'p', ['id', 'name'], [[7, 'x']]));
      expect(rider?.fixed).toBeUndefined();
      expect(rider?.sql).toMatch(/VALUES/);
    });
    return;
  }

  it('reads column types from the catalogue of the schema, once, and again for a table it did not have', async () => {
    forgetColumnTypes(db.dataSource);
    const m = db.dataSource.manager;
    expect(await columnTypes(m, 'p', ['id', 'name', 'x', 'at', 'raw', 'note'])).toEqual([
      'integer',
      'character varying',
      'double precision',
      'timestamp with time zone',
      'bytea',
      'text',
    ]);
    expect(await columnTypes(m, 'p', ['id', 'missing'])).toBeNull();
    await db.dataSource.query(`CREATE TABLE later (k text, tags text[], code char(3))`);
    // a table the catalogue did not have when it was read: read again (once per table), and found
    expect(await columnTypes(m, 'later', ['k'])).toEqual(['text']);
    // an array type cannot be cast to from a joined text, and `::character` would be char(1)
    expect(await columnTypes(m, 'later', ['k', 'tags'])).toBeNull();
    expect(await columnTypes(m, 'later', ['k', 'code'])).toBeNull();
    expect(await columnTypes(m, 'nowhere', ['k'])).toBeNull();
    expect(await columnTypes(m, 'nowhere', ['k'])).toBeNull();
  });

  it('inserts as one prepared statement per shape, whatever the number of rows; what joined text cannot carry goes as VALUES', async () => {
    const m = db.dataSource.manager;
    await columnTypes(m, 'p', ['id']);
    const cols = ['id', 'name', 'x', 'at', 'raw', 'note'];
    const row = (id: number, over: Partial<Record<string, unknown>> = {}) =>
      cols.map((c) => (c in over ? over[c] : c === 'id' ? id : c === 'name' ? `名${id}` : c === 'x' ? id / 4 : c === 'at' ? '2026-12-07T08:00:00.000Z' : null));
    const log = await sent(db, async (tx) => {
      expect(await insertMany(tx, 'p', cols, [row(10), row(11)])).toBe(2);
      expect(await insertMany(tx, 'p', cols, [row(12), row(13), row(14)], { onConflictDoNothing: ['id'] })).toBe(3);
      expect(await insertMany(tx, 'p', cols, [row(15), row(16), row(17)])).toBe(3);
      // a Buffer (bytea) and a Date cannot travel in a joined text: VALUES, stored exactly
      expect(await insertMany(tx, 'p', cols, [row(18, { raw: Buffer.from([0, 1, 0x1f, 255]) })])).toBe(1);
      expect(await insertMany(tx, 'p', cols, [row(19, { at: new Date('2026-01-02T03:04:05.678Z') })])).toBe(1);
      // riders: fixed (prepared) when their rows travel by column, run alone here
      const fixed = (await insertRider(tx, 'p', cols, [row(20), row(21)], { returning: 'id' }))!;
      expect(fixed.fixed).toBe(true);
      expect(await runRider(tx, fixed)).toBe(2);
      const values = (await insertRider(tx, 'p', cols, [row(22, { note: 'a\x1fb' })]))!;
      expect(values.fixed).toBeUndefined();
      expect(await runRider(tx, values)).toBe(1);
    });
    const named = log.filter((s) => s.named);
    expect(log.filter((s) => !s.named).every((s) => /VALUES/.test(s.text))).toBe(true);
    expect(log.filter((s) => !s.named)).toHaveLength(3);
    // the two plain inserts share a text (2 and 3 rows), the one with ON CONFLICT has its own
    expect(named).toHaveLength(4);
    expect(new Set(named.map((s) => s.text)).size).toBe(3);
    const stored: Array<{ id: number; name: string; x: number; at: Date; raw: Buffer | null; note: string | null }> =
      await db.dataSource.query(`SELECT id, name, x, at, raw, note FROM p WHERE id >= 10 ORDER BY id`);
    expect(stored.map((r) => r.id)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
    expect(stored[0]).toMatchObject({ name: '名10', x: 2.5, raw: null, note: null });
    expect(stored[0].at.toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect([...stored[8].raw!]).toEqual([0, 1, 0x1f, 255]);
    expect(stored[9].at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(stored[12].note).toBe('a\x1fb');
  });
});
