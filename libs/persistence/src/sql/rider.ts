import type { EntityManager } from 'typeorm';
import { queryMaybeFixed } from './prepared';

/**
 * A write that runs alone or rides in another statement, saving a round trip: on PostgreSQL it becomes one of that
 * statement's WITH queries (see appendAudit). A statement returning a row per row it writes — an `INSERT … RETURNING
 * 1`, made with insertRider — or per row it confirms (a check such as scoring's `SELECT … FOR SHARE` of the rule
 * generation), with the dialect's placeholders ($1… on PostgreSQL, `?` on SQLite) and no other `$` in its text.
 * `written` learns how many rows it returned once it has run, alone or riding.
 *
 * Why: under load each statement of a transaction waits its turn on a busy event loop and CPU. In the pipeline at
 * 500 submissions/s a statement took 4–20 ms from call to result (even `START TRANSACTION`), and a consumer's
 * transaction is the cycle the events behind it wait for (its group commit takes one transaction at a time).
 */
export interface Rider {
  sql: string;
  params: unknown[];
  written?: (rows: number) => void;
  /**
   * Its text is one of a bounded few, whatever the rows (they travel one parameter per column): a statement made only
   * of such parts runs as a prepared statement (queryFixed).
   */
  fixed?: boolean;
}

/** Whether a statement made of these riders (and a fixed text of its own) can run prepared (see queryFixed). */
export function allFixed(riders: readonly Rider[]): boolean {
  return riders.every((r) => r.fixed === true);
}

/** Runs a rider as a statement of its own; returns the rows it wrote. */
export async function runRider(manager: EntityManager, rider: Rider): Promise<number> {
  const rows: unknown[] = await queryMaybeFixed(manager, rider.sql, rider.params, rider.fixed === true);
  rider.written?.(rows.length);
  return rows.length;
}

/**
 * PostgreSQL: riders as WITH queries `rider0`, `rider1` … of a statement that already has `offset` parameters:
 * the WITH list items (each followed by a comma), their parameters, and a select-list fragment counting each
 * (`, (SELECT COUNT(*) FROM rider0)::int AS rider0` …). Every WITH query runs, referenced or not.
 */
export function riderCtes(riders: readonly Rider[], offset: number): { ctes: string; params: unknown[]; counts: string } {
  let ctes = '';
  let counts = '';
  const params: unknown[] = [];
  riders.forEach((r, i) => {
    const by = offset + params.length;
    ctes += `rider${i} AS (${r.sql.replace(PLACEHOLDER, (_, d: string) => `$${Number(d) + by}`)}), `;
    counts += `, (SELECT COUNT(*) FROM rider${i})::int AS rider${i}`;
    params.push(...r.params);
  });
  return { ctes, params, counts };
}

/** Tells each rider how many rows it wrote, from a row holding `rider0`, `rider1` … (riderCtes' counts). */
export function ridersWritten(riders: readonly Rider[], row: Record<string, unknown>): void {
  riders.forEach((r, i) => r.written?.(Number(row[`rider${i}`])));
}

const PLACEHOLDER = /\$(\d+)/g;
