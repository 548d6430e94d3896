import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { assertIdentifier, dialectOf, joinedColumnRows, placeholder, queryFixed } from '@jixiao/persistence';

const MAX_PARAMS = 30_000; // below both PostgreSQL's (65,535) and SQLite's (32,766) bind-parameter limits

/**
 * Set-based UPDATE of many rows of one table, each with its own values: `UPDATE t SET … FROM v WHERE t.key = v.key
 * [AND t.<guard> = v.expected]`, one statement per chunk. On PostgreSQL `v` is one parameter per column (see
 * joinedColumnRows), a text the same for any number of rows, run prepared (queryFixed); on SQLite (≥ 3.33), or for
 * values a joined text cannot carry, `WITH v(…) AS (VALUES …)`.
 * `guard` is optimistic concurrency: a row updates only if that column still holds the value given for it.
 * Returns the keys of the rows updated.
 */
export async function updateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  key: keyof T & string,
  properties: Array<keyof T & string>,
  rows: ReadonlyArray<{ entity: T; expected?: unknown }>,
  guard?: keyof T & string,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const meta = manager.connection.getMetadata(target);
  const column = (p: string): ColumnMetadata => {
    const c = meta.findColumnWithPropertyName(p);
    if (!c) throw new Error(`updateRows(${meta.tableName}): no column for ${p}`);
    return c;
  };
  const keyCol = column(key);
  const setCols = properties.map(column);
  const guardCol = guard ? column(guard) : null;
  const d = dialectOf(manager);
  // on PostgreSQL every value is typed (VALUES would otherwise make them all text)
  const cast = (c: ColumnMetadata, mark: string) => (d === 'postgres' ? `CAST(${mark} AS ${pgType(c)})` : mark);
  const names = ['k', ...setCols.map((_, i) => `c${i}`), ...(guardCol ? ['g'] : [])];
  const table = assertIdentifier(meta.tableName);
  const sets = setCols.map((c, i) => `${assertIdentifier(c.databaseName)} = v.c${i}`).join(', ');
  const where = `${table}.${assertIdentifier(keyCol.databaseName)} = v.k${
    guardCol ? ` AND ${table}.${assertIdentifier(guardCol.databaseName)} = v.g` : ''
  }`;
  const chunkSize = Math.max(1, Math.floor(MAX_PARAMS / names.length));
  const updated: string[] = [];
  const returning = `RETURNING ${table}.${assertIdentifier(keyCol.databaseName)} AS k`;
  const pgTypes = d === 'postgres' ? [keyCol, ...setCols, ...(guardCol ? [guardCol] : [])].map(pgType) : null;
  const persistent = (c: ColumnMetadata, v: unknown) => manager.connection.driver.preparePersistentValue(v, c) ?? null;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    // PostgreSQL: one parameter per column, a text the same for any number of rows, run prepared (see queryFixed)
    const byColumn =
      pgTypes &&
      joinedColumnRows(names, pgTypes, [
        chunk.map(({ entity }) => persistent(keyCol, keyCol.getEntityValue(entity))),
        ...setCols.map((c) => chunk.map(({ entity }) => persistent(c, c.getEntityValue(entity)))),
        ...(guardCol ? [chunk.map(({ expected }) => persistent(guardCol, expected))] : []),
      ], 'v');
    if (byColumn) {
      const [returned] = await queryFixed<[Array<{ k: string }>, number]>(
        manager,
        `UPDATE ${table} SET ${sets} FROM ${byColumn.source} WHERE ${where} ${returning}`,
        byColumn.params,
      );
      for (const r of returned) updated.push(String(r.k));
      continue;
    }
    const params: unknown[] = [];
    const value = (c: ColumnMetadata, v: unknown) => {
      params.push(persistent(c, v));
      return cast(c, placeholder(d, params.length));
    };
    const tuples = chunk.map(({ entity, expected }) => {
      const marks = [
        value(keyCol, keyCol.getEntityValue(entity)),
        ...setCols.map((c) => value(c, c.getEntityValue(entity))),
      ];
      if (guardCol) marks.push(value(guardCol, expected));
      return `(${marks.join(', ')})`;
    });
    const sql = `WITH v (${names.join(', ')}) AS (VALUES ${tuples.join(', ')}) UPDATE ${table} SET ${sets} FROM v WHERE ${where} ${returning}`;
    const result = (await manager.query(sql, params)) as unknown;
    // pg answers an UPDATE with [rows, count], better-sqlite3 with the rows
    const returned = (d === 'postgres' ? (result as [Array<{ k: string }>, number])[0] : result) as Array<{
      k: string;
    }>;
    for (const r of returned) updated.push(String(r.k));
  }
  return updated;
}

function pgType(c: ColumnMetadata): string {
  const type = typeof c.type === 'string' ? c.type : 'text';
  if (type === 'simple-json' || type === 'simple-array') return 'text';
  if (!/^[a-z][a-z ]*$/.test(type)) throw new Error(`updateRows: unexpected column type ${type}`);
  return type;
}
