import type { QueryRunner, TableColumnOptions } from 'typeorm';
import { dialectOf } from '../data-source/dialect';

/**
 * Column shapes that mean the same on SQLite and PostgreSQL.
 *
 * - Timestamps are ISO-8601 UTC text, `varchar(30)` (`2026-03-01T08:00:00.000Z`, from `new Date().toISOString()`):
 *   identical bytes on both databases (so they hash the same in the audit chain), and they sort chronologically.
 * - JSON is `text` (write `JSON.stringify`, read `JSON.parse`; `simple-json` in entities is the same thing).
 * - Auto-increment ids are `bigint` on PostgreSQL and `integer` on SQLite (SQLite only auto-increments an
 *   INTEGER PRIMARY KEY). The pg driver returns bigint as a string: read ids through `Number()`.
 * - Floating point is `double precision` on PostgreSQL and `real` (8 bytes in SQLite) on SQLite.
 */
export function portableColumns(queryRunner: QueryRunner) {
  const pg = dialectOf(queryRunner) === 'postgres';
  return {
    id: (name = 'id'): TableColumnOptions => ({
      name,
      type: pg ? 'bigint' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    bigint: (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable }),
    integer: (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable }),
    double: (name: string, isNullable = false): TableColumnOptions => ({
      name,
      type: pg ? 'double precision' : 'real',
      isNullable,
    }),
    boolean: (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'boolean', isNullable }),
    varchar: (name: string, length: number, isNullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    }),
    text: (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable }),
    timestamp: (name: string, isNullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '30',
      isNullable,
    }),
    json: (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable }),
  };
}

/** The portable timestamp value: ISO-8601 UTC with milliseconds. */
export function isoNow(): string {
  return new Date().toISOString();
}
