import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../testing/test-database';
import { withTransaction } from '../data-source/transaction';
import { columnRows, planWithoutParameterValues } from './column-rows';
import { insertMany } from './insert-many';

const NAMES = ['id', 'at', 'name', 'n', 'x', 'ok'];
const TYPES = ['integer', 'text', 'text', 'bigint', 'float8', 'boolean'];

describe('columnRows on PostgreSQL', () => {
  let db: TestDatabase;
  let id = 0;
  beforeAll(async () => {
    db = await openTestDatabase('postgres', { name: 'colrows', entities: [], migrations: [] });
    await db.dataSource.query(
      `CREATE TABLE t (id integer PRIMARY KEY, at text, name text, n bigint, x float8, ok boolean)`,
    );
  });
  afterAll(async () => db?.close());

  /** Inserts `rows` (at, name, n, x, ok) with new ids; returns how they travelled and what was stored. */
  async function roundTrip(rows: unknown[][]) {
    const withIds = rows.map((r) => [++id, ...r]);
    const columns = NAMES.map((_, c) => withIds.map((r) => r[c]));
    const { encoding } = columnRows(NAMES, TYPES, columns, 'r');
    expect(await insertMany(db.dataSource.manager, 't', NAMES, withIds, { pgTypes: TYPES })).toBe(rows.length);
    const stored: Array<Record<string, unknown>> = await db.dataSource.query(
      `SELECT at, name, n, x, ok FROM t WHERE id = ANY($1::int[]) ORDER BY id`,
      [withIds.map((r) => r[0])],
    );
    return { encoding, stored: stored.map((s) => [s.at, s.name, s.n === null ? null : Number(s.n), s.x, s.ok]) };
  }

  it('carries text, numbers, booleans and nulls as joined text and stores them exactly, in order', async () => {
    const rows = [
      ['2026-12-06T08:00:00.000Z', '自评总分 "95.16" 与\\各项\t之和\n不一致 😀', 9_007_199_254_740_991, 0.1 + 0.2, true],
      ['', '{"code":"A","message":"引号 \\" 与反斜杠"}', -1, -0.5, false],
      [null, undefined, null, null, null],
      ['\u0001 control', 'é ü ß', 0, 1e-7, true],
      ['NULL', '\\N', -9_007_199_254_740_991, 1e21, false],
      ['', '', 1, -1.7976931348623157e308, null],
      ['x', 'y', 2, 5e-324, true],
    ];
    const { encoding, stored } = await roundTrip(rows);
    expect(encoding).toBe('joined');
    expect(stored).toEqual(rows.map((r) => r.map((v) => (v === undefined ? null : v))));
  });

  it('falls back to array literals for what joined text cannot carry: the separators, NaN, a Date', async () => {
    for (const text of ['a\x1fb', '\x1e', 'x\x1ey', '\x1f']) {
      const sep = await roundTrip([['a', text, 1, 1, true], ['b', 'plain', 2, 2, false]]);
      expect(sep.encoding).toBe('array');
      expect(sep.stored.map((r) => r[1])).toEqual([text, 'plain']);
    }

    const nan = await roundTrip([['a', 'b', 1, Number.NaN, true]]);
    expect(nan.encoding).toBe('array');
    expect(nan.stored[0][3]).toBeNaN();

    const at = new Date('2026-12-06T08:00:00Z');
    const date = await roundTrip([[at, 'b', 1, 1, true]]);
    expect(date.encoding).toBe('array');
    expect(new Date(date.stored[0][0] as string).getTime()).toBe(at.getTime());

    // a single empty string would be an empty text, which string_to_array reads as no row at all
    const empty = await roundTrip([['', 'b', 1, 1, true]]);
    expect(empty.encoding).toBe('array');
    expect(empty.stored).toEqual([['', 'b', 1, 1, true]]);
  });

  it('joins a long column as UTF-8 bytes and stores it the same: Chinese text, nulls, empty strings, surrogates', async () => {
    // ~300 rows of ~400 characters: the name column is over the length joined as a string
    const long = (i: number) => `自评表第${i}项：预算执行率 98.5%，偏差原因“资金拨付滞后”；`.repeat(12) + `😀${i}`;
    const rows = Array.from({ length: 300 }, (_, i) => [`r${i}`, i % 7 === 0 ? null : i % 11 === 0 ? '' : long(i), i, i / 8, i % 2 === 0]);
    rows.push(['lone', 'x\ud800y', 0, 0, true]);
    const columns = NAMES.map((_, c) => rows.map((r) => (c === 0 ? 0 : r[c - 1])));
    const { params } = columnRows(NAMES, TYPES, columns, 'r');
    expect(Buffer.isBuffer(params[2])).toBe(true); // the long one
    expect(typeof params[1]).toBe('string'); // the short ones stay strings
    const { encoding, stored } = await roundTrip(rows);
    expect(encoding).toBe('joined');
    expect(stored).toEqual(rows.map((r) => (r[0] === 'lone' ? [...r.slice(0, 1), 'x\ufffdy', ...r.slice(2)] : r)));
  });

  it('sends an unpaired surrogate as U+FFFD, as node-postgres does for any text', async () => {
    const lone = await roundTrip([['a', 'x\ud800y', 1, 1, true]]);
    expect(lone.encoding).toBe('joined');
    expect(lone.stored[0][1]).toBe('x\ufffdy');
  });

  it('yields no rows for no values', async () => {
    const none = columnRows(['n'], ['integer'], [[]], 'u');
    expect(none.encoding).toBe('joined');
    expect(await db.dataSource.query(`SELECT COUNT(*)::int AS n FROM ${none.source}`, none.params)).toEqual([{ n: 0 }]);
  });

  it('gives the same rows either way, with names that are keywords', async () => {
    const columns = [[1, 2], ['from', 'to'], [null, 'x']];
    const joined = columnRows(['n', 'from', 'order'], ['integer', 'text', 'text'], columns, 'u');
    const array = columnRows(['n', 'from', 'order'], ['integer', 'text', 'text'], [[1, 2], ['from', 'to'], [null, new Date(0)]], 'u');
    expect([joined.encoding, array.encoding]).toEqual(['joined', 'array']);
    const read = (c: { source: string; params: unknown[] }) =>
      db.dataSource.query(`SELECT u.n, u."from", u."order" IS NULL AS missing FROM ${c.source} ORDER BY u.n`, c.params);
    expect(await read(joined)).toEqual([
      { n: 1, from: 'from', missing: true },
      { n: 2, from: 'to', missing: false },
    ]);
    expect(await read(array)).toEqual(await read(joined));
  });

  it('plans a transaction without its parameters\' values until it ends, and its statements still work', async () => {
    const mode = async (m: { query: (sql: string) => Promise<Array<{ plan_cache_mode: string }>> }) =>
      (await m.query('SHOW plan_cache_mode'))[0].plan_cache_mode;
    const inside = await withTransaction(db.dataSource, async (m) => {
      await planWithoutParameterValues(m);
      await insertMany(m, 't', NAMES, [[++id, 'generic', 'plan', 1, 0.5, true]], { pgTypes: TYPES });
      return mode(m);
    });
    expect(inside).toBe('force_generic_plan');
    expect(await mode(db.dataSource)).toBe('auto');
    expect(await db.dataSource.query(`SELECT name FROM t WHERE id = $1`, [id])).toEqual([{ name: 'plan' }]);
  });

  it('refuses type and column names it would have to put in SQL unchecked', () => {
    expect(() => columnRows(['a'], ['text; DROP TABLE t'], [[1]], 'r')).toThrow(/not a PostgreSQL type name/);
    expect(() => columnRows(['a"b'], ['text'], [[1]], 'r')).toThrow(/not a column name/);
    expect(() => columnRows(['a', 'b'], ['text'], [[1]], 'r')).toThrow(/2 names, 1 types and 1 columns/);
  });
});
