import type { EntityManager } from 'typeorm';
import { assertIdentifier, dialectOf, placeholder } from '../data-source/dialect';
import { columnRows, joinedColumnRows } from './column-rows';
import { columnTypes } from './column-types';
import { queryFixed } from './prepared';
import type { Rider } from './rider';

export interface InsertManyOptions {
  /** Adds `ON CONFLICT (cols) DO NOTHING` (PostgreSQL and SQLite ≥ 3.24). */
  onConflictDoNothing?: string[];
  /**
   * PostgreSQL types of the columns (`bigint`, `text`, `integer`, `boolean`, `float8` …). When given, rows go to
   * PostgreSQL as one parameter per column (see columnRows): a handful of parameters instead of one per value,
   * several times faster for thousands of rows. SQLite ignores them.
   */
  pgTypes?: string[];
}

// PostgreSQL allows 65,535 bind parameters per statement, SQLite 32,766 since 3.32: stay well below both.
const MAX_PARAMS = 30_000;
const MAX_ROWS = 1_000;

/**
 * Set-based insert of many rows: one multi-row INSERT per chunk. Returns the number of rows written
 * (rows skipped by ON CONFLICT DO NOTHING are not counted).
 */
export async function insertMany(
  manager: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
  options: InsertManyOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const dialect = dialectOf(manager);
  const cols = columns.map(assertIdentifier);
  const conflict = conflictClause(options);
  if (dialect === 'postgres' && options.pgTypes)
    return insertByColumn(manager, table, cols, rows, options.pgTypes, conflict);
  const types = await columnTypes(manager, table, cols);
  const chunkSize = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / cols.length)));
  let written = 0;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const prepared = types && columnInsert(table, cols, types, chunk, conflict, '1');
    if (prepared) {
      const result: unknown[] = await queryFixed(manager, prepared.sql, prepared.params);
      written += result.length;
      continue;
    }
    const { sql, params } = valuesInsert(dialect, table, cols, chunk, conflict);
    const result: unknown[] = await manager.query(sql, params);
    written += result.length;
  }
  return written;
}

/**
 * The rows as one `INSERT … RETURNING 1` that can ride in another statement (see Rider), or null when there are none
 * or more than one statement takes (insertMany writes those). On PostgreSQL, when the table's column types are known
 * (columnTypes, or `pgTypes`) and the values can travel so, its rows go one parameter per column and its text does not
 * depend on how many there are (a `fixed` rider, which a statement can run prepared); else as `VALUES`.
 */
export async function insertRider(
  manager: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
  options: Pick<InsertManyOptions, 'onConflictDoNothing' | 'pgTypes'> & {
    written?: (rows: number) => void;
    /** A column each written row returns (as `ok`) instead of 1: which rows were written, not only how many. */
    returning?: string;
  } = {},
): Promise<Rider | null> {
  const cols = columns.map(assertIdentifier);
  if (rows.length === 0 || rows.length > MAX_ROWS || rows.length * cols.length > MAX_PARAMS) return null;
  const conflict = conflictClause(options);
  const returned = options.returning ? assertIdentifier(options.returning) : '1';
  const dialect = dialectOf(manager);
  const types = dialect === 'postgres' ? (options.pgTypes ?? (await columnTypes(manager, table, cols))) : null;
  const prepared = types && columnInsert(table, cols, types, rows, conflict, returned);
  if (prepared) return { ...prepared, fixed: true, written: options.written };
  return { ...valuesInsert(dialect, table, cols, rows, conflict, returned), written: options.written };
}

/**
 * PostgreSQL: the rows as `INSERT … SELECT` from one joined text per column (joinedColumnRows), a text the same for
 * any number of rows; null when a value cannot travel so.
 */
function columnInsert(
  table: string,
  cols: string[],
  types: readonly string[],
  rows: unknown[][],
  conflict: string,
  returned: string,
): { sql: string; params: unknown[] } | null {
  const source = joinedColumnRows(cols, types, byColumn(table, cols, types, rows), 'r');
  if (!source) return null;
  return {
    sql: `INSERT INTO ${assertIdentifier(table)} (${cols.join(', ')}) SELECT * FROM ${source.source}${conflict} RETURNING ${returned} AS ok`,
    params: source.params,
  };
}

/**
 * The rows as a rider added to `riders` when they fit one statement (see insertRider), else written now with
 * insertMany: a caller collects its transaction's writes and hands them to the statement they ride in.
 */
export async function insertOrRide(
  manager: EntityManager,
  riders: Rider[],
  table: string,
  columns: string[],
  rows: unknown[][],
  options: Pick<InsertManyOptions, 'onConflictDoNothing'> = {},
): Promise<void> {
  const rider = await insertRider(manager, table, columns, rows, options);
  if (rider) riders.push(rider);
  else await insertMany(manager, table, columns, rows, options);
}

/** ` ON CONFLICT (cols) DO NOTHING`, or nothing. */
function conflictClause(options: Pick<InsertManyOptions, 'onConflictDoNothing'>): string {
  const cols = options.onConflictDoNothing;
  return cols ? ` ON CONFLICT (${cols.map(assertIdentifier).join(', ')}) DO NOTHING` : '';
}

function valuesInsert(
  dialect: ReturnType<typeof dialectOf>,
  table: string,
  cols: string[],
  chunk: unknown[][],
  conflict: string,
  returned = '1',
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = chunk.map((row) => {
    if (row.length !== cols.length)
      throw new Error(`insertMany(${table}): row has ${row.length} values for ${cols.length} columns`);
    const marks = row.map((value) => {
      params.push(value);
      return placeholder(dialect, params.length);
    });
    return `(${marks.join(', ')})`;
  });
  return {
    sql: `INSERT INTO ${assertIdentifier(table)} (${cols.join(', ')}) VALUES ${tuples.join(', ')}${conflict} RETURNING ${returned} AS ok`,
    params,
  };
}

const ROWS_PER_COLUMN_STATEMENT = 10_000;

async function insertByColumn(
  manager: EntityManager,
  table: string,
  cols: string[],
  rows: unknown[][],
  pgTypes: string[],
  conflict: string,
): Promise<number> {
  let written = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_COLUMN_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_COLUMN_STATEMENT);
    const { source, params } = columnRows(cols, pgTypes, byColumn(table, cols, pgTypes, chunk), 'r');
    // the count, not a row per inserted row (a thousand messages for the client to read for a thousand rows)
    const sql =
      `WITH ins AS (INSERT INTO ${assertIdentifier(table)} (${cols.join(', ')}) SELECT * FROM ${source}${conflict} RETURNING 1) ` +
      `SELECT COUNT(*)::int AS n FROM ins`;
    const result: Array<{ n: number }> = await queryFixed(manager, sql, params);
    written += Number(result[0].n);
  }
  return written;
}

/** The rows' values column by column (each row checked to have one per column). */
function byColumn(table: string, cols: readonly string[], types: readonly string[], rows: readonly unknown[][]): unknown[][] {
  if (types.length !== cols.length) throw new Error(`insertMany(${table}): ${types.length} pgTypes for ${cols.length} columns`);
  return cols.map((_, c) =>
    rows.map((row) => {
      if (row.length !== cols.length)
        throw new Error(`insertMany(${table}): row has ${row.length} values for ${cols.length} columns`);
      return row[c];
    }),
  );
}
