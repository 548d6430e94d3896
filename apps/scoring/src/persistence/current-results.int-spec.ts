import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import type { CurrentResult } from '../domain/score-record';
import { setCurrentResults } from './current-results';
import { SCORING_MIGRATIONS } from './scoring.migrations';
import { SCORING_TABLES } from './scoring-tables';

const current = (evaluationId: string, resultId: string, total: number): CurrentResult => ({
  evaluationId,
  resultId,
  ruleSetId: 'CN',
  ruleSetVersion: 2,
  hash: `sha256:${resultId}`,
  total,
  grade: total >= 90 ? '优' : '良',
  routing: 'auto-approve',
  scoredAt: '2026-12-05T00:00:00.000Z',
  generation: 3,
});

describe.each(TEST_DIALECTS)('current-result pointers on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeEach(async () => {
    db = await openTestDatabase(dialect, { name: 'scoring', entities: [], migrations: SCORING_MIGRATIONS });
    ds = db.dataSource;
    await runMigrations(ds);
    const p = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
    for (const [id, rid] of [['ev_a', 'res_a1'], ['ev_b', 'res_b1'], ['ev_c', null]] as const)
      await ds.query(
        `INSERT INTO ${SCORING_TABLES.evaluations} (evaluation_id, submission_id, submission_version, region, fiscal_year,
           form_type, evaluation, received_at, current_result_id)
         VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9].map(p).join(', ')})`,
        [id, `sub_${id}`, 1, '130126', 2023, 'project', '{}', '2026-12-05T00:00:00.000Z', rid],
      );
  });
  afterEach(async () => db?.close());

  const pointers = async () =>
    (await ds.query(`SELECT evaluation_id, current_result_id, current_total FROM ${SCORING_TABLES.evaluations} ORDER BY evaluation_id`)).map(
      (r: { evaluation_id: string; current_result_id: string | null; current_total: unknown }) => [
        r.evaluation_id,
        r.current_result_id,
        r.current_total === null ? null : Number(r.current_total),
      ],
    );

  it('moves every pointer whose current result is still the one expected (null included) and counts them', async () => {
    const n = await withTransaction(ds, (m) =>
      setCurrentResults(m, [current('ev_a', 'res_a2', 91), current('ev_c', 'res_c2', 80)], ['res_a1', null]),
    );
    expect(n).toBe(2);
    expect(await pointers()).toEqual([
      ['ev_a', 'res_a2', 91],
      ['ev_b', 'res_b1', null],
      ['ev_c', 'res_c2', 80],
    ]);
    const gens = await ds.query(`SELECT current_generation AS g FROM ${SCORING_TABLES.evaluations} WHERE evaluation_id IN ('ev_a', 'ev_c')`);
    expect(gens.map((r: { g: unknown }) => Number(r.g))).toEqual([3, 3]);
  });

  it('leaves alone a pointer that moved on since it was read, and says how many it moved', async () => {
    const n = await withTransaction(ds, (m) =>
      setCurrentResults(m, [current('ev_a', 'res_a2', 91), current('ev_b', 'res_b2', 70)], ['res_a1', 'res_b0']),
    );
    expect(n).toBe(1);
    expect(await pointers()).toEqual([
      ['ev_a', 'res_a2', 91],
      ['ev_b', 'res_b1', null],
      ['ev_c', null, null],
    ]);
  });

  it('without expectations moves every pointer named', async () => {
    const n = await withTransaction(ds, (m) => setCurrentResults(m, [current('ev_b', 'res_b2', 70), current('ev_c', 'res_c2', 80)]));
    expect(n).toBe(2);
    expect((await pointers()).map((r: unknown[]) => r[1])).toEqual(['res_a1', 'res_b2', 'res_c2']);
  });
});

describe('scoring_evaluations row layout on postgres', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => db?.close());

  it('keeps a large evaluation document out of line, so moving a pointer rewrites a narrow row on its own page', async () => {
    db = await openTestDatabase('postgres', { name: 'scoring', entities: [], migrations: SCORING_MIGRATIONS });
    const ds = db.dataSource;
    await runMigrations(ds);
    const [{ options }] = await ds.query(`SELECT reloptions AS options FROM pg_class WHERE oid = $1::regclass`, [SCORING_TABLES.evaluations]);
    expect(options).toEqual(expect.arrayContaining(['toast_tuple_target=512', 'fillfactor=50']));

    // a realistic 20-indicator document: ~4 KB of JSON that compresses to well over 512 bytes (but under the ~2 KB
    // below which PostgreSQL would keep it inline)
    let x = 7;
    const next = () => (x = (x * 48271) % 2147483647);
    const document = JSON.stringify({
      unitName: '某县农业农村局',
      indicators: Array.from({ length: 20 }, (_, i) => ({
        name: `指标${i}-${next() % 997}`,
        target: `≥${next() % 500}.${next() % 100}万元`,
        actual: `${next() % 500}.${next() % 100}万元`,
        weight: (next() % 50) / 10,
        deviationReason: next() % 3 === 0 ? `受客观因素影响${next() % 1000}` : undefined,
      })),
    });
    await ds.query(
      `INSERT INTO ${SCORING_TABLES.evaluations} (evaluation_id, submission_id, submission_version, region, fiscal_year,
         form_type, evaluation, received_at, current_result_id)
       VALUES ('ev_big', 'sub_big', 1, '130126', 2023, 'project', $1, '2026-12-05T00:00:00.000Z', 'res_big1')`,
      [document],
    );
    const [{ toast }] = await ds.query(`SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE oid = $1::regclass`, [
      SCORING_TABLES.evaluations,
    ]);
    const chunks = async () => Number((await ds.query(`SELECT count(*) AS n FROM ${toast}`))[0].n);
    const stored = await chunks();
    expect(stored).toBeGreaterThan(0);

    const hot = await withTransaction(ds, async (m) => {
      expect(await setCurrentResults(m, [current('ev_big', 'res_big2', 88)], ['res_big1'])).toBe(1);
      const [s] = await m.query(`SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables WHERE relid = $1::regclass`, [
        SCORING_TABLES.evaluations,
      ]);
      return [Number(s.upd), Number(s.hot)];
    });
    expect(hot).toEqual([1, 1]);
    expect(await chunks()).toBe(stored); // the document was not written again
    const [row] = await ds.query(`SELECT evaluation, current_result_id FROM ${SCORING_TABLES.evaluations} WHERE evaluation_id = 'ev_big'`);
    expect(row).toEqual({ evaluation: document, current_result_id: 'res_big2' });
  });
});
