import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../testing/test-database';
import { pgTextDecodingInstalled } from './pg-text-decoding';

describe('text from PostgreSQL with the reader decoding long non-ASCII fields', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('postgres', { name: 'pgtext', entities: [], migrations: [] });
    await db.dataSource.query(`CREATE TABLE t (id integer PRIMARY KEY, body text)`);
  });
  afterAll(async () => db?.close());

  it('reads back exactly what was stored, row after row, short and long, ASCII or not', async () => {
    // opening a PostgreSQL data source put the decoding in place
    expect(pgTextDecodingInstalled()).toBe(true);
    const bodies = [
      '{"rows":[["验收合格率\ue0001≥90%\ue00095.77%产出指标质量指标",5,5]]}'.repeat(50),
      'short 短',
      '😀 达成 𠀀 '.repeat(100),
      'plain ASCII '.repeat(100),
      '',
      '尾'.repeat(300),
    ];
    await db.dataSource.query(
      `INSERT INTO t (id, body) SELECT * FROM unnest($1::int[], $2::text[])`,
      [bodies.map((_, i) => i), bodies],
    );
    const rows: Array<{ id: number; body: string; n: string }> = await db.dataSource.query(
      `SELECT id, body, length(body)::text AS n FROM t ORDER BY id`,
    );
    expect(rows.map((r) => r.body)).toEqual(bodies);
    expect(rows.map((r) => Number(r.n))).toEqual(bodies.map((b) => [...b].length));
  });
});
