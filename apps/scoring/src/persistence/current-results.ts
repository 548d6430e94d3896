import type { EntityManager } from 'typeorm';
import { columnRows, dialectOf } from '@jixiao/persistence';
import type { CurrentResult } from '../domain/score-record';
import { SCORING_TABLES } from './scoring-tables';

const T = SCORING_TABLES.evaluations;

/** scoring_evaluations' columns naming the current result, in `currentValues` order. */
export const CURRENT_COLUMNS = [
  'current_result_id',
  'current_rule_set_id',
  'current_rule_set_version',
  'current_hash',
  'current_total',
  'current_grade',
  'current_routing',
  'current_scored_at',
  'current_generation',
] as const;

export function currentValues(c: CurrentResult): unknown[] {
  return [c.resultId, c.ruleSetId, c.ruleSetVersion, c.hash, c.total, c.grade, c.routing, c.scoredAt, c.generation];
}

/**
 * Point evaluations at their new current result, set-based: one UPDATE … FROM the rows (columnRows) on PostgreSQL, one
 * prepared statement run per row on SQLite (in the caller's transaction, where that is as fast).
 *
 * With `expected` (each item's current result id as the caller read it, null for none) the update is a
 * compare-and-set: a row whose current result has moved on since is left alone. Returns the rows updated, so a
 * caller that read outside its transaction can tell that it lost a race and roll back.
 */
export async function setCurrentResults(
  m: EntityManager,
  items: readonly CurrentResult[],
  expected?: readonly (string | null)[],
): Promise<number> {
  if (items.length === 0) return 0;
  if (expected && expected.length !== items.length)
    throw new Error(`setCurrentResults: ${expected.length} expected ids for ${items.length} items`);
  if (dialectOf(m) === 'postgres') {
    const cols = (f: (c: CurrentResult) => unknown) => items.map(f);
    const { source, params } = columnRows(
      ['id', 'rid', 'rsid', 'rsv', 'hash', 'total', 'grade', 'routing', 'at', 'gen', 'prev'],
      ['text', 'text', 'text', 'int', 'text', 'float8', 'text', 'text', 'text', 'int', 'text'],
      [
        cols((c) => c.evaluationId),
        cols((c) => c.resultId),
        cols((c) => c.ruleSetId),
        cols((c) => c.ruleSetVersion),
        cols((c) => c.hash),
        cols((c) => c.total),
        cols((c) => c.grade),
        cols((c) => c.routing),
        cols((c) => c.scoredAt),
        cols((c) => c.generation),
        expected ?? items.map(() => null),
      ],
      'u',
    );
    const rows: Array<{ n: unknown }> = await m.query(
      `WITH done AS (
         UPDATE ${T} AS e SET current_result_id = u.rid, current_rule_set_id = u.rsid, current_rule_set_version = u.rsv,
           current_hash = u.hash, current_total = u.total, current_grade = u.grade, current_routing = u.routing,
           current_scored_at = u.at, current_generation = u.gen
         FROM ${source}
         WHERE e.evaluation_id = u.id${expected ? ' AND e.current_result_id IS NOT DISTINCT FROM u.prev' : ''}
         RETURNING 1)
       SELECT COUNT(*) AS n FROM done`,
      params,
    );
    return Number(rows[0].n);
  }
  const sql =
    `UPDATE ${T} SET ${CURRENT_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE evaluation_id = ?` +
    `${expected ? ' AND current_result_id IS ?' : ''} RETURNING 1 AS ok`;
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    const c = items[i];
    const rows: unknown[] = await m.query(sql, [...currentValues(c), c.evaluationId, ...(expected ? [expected[i]] : [])]);
    n += rows.length;
  }
  return n;
}
