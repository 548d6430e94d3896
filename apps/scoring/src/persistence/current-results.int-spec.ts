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
