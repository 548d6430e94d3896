import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

export type Dialect = 'postgres' | 'sqlite';

/** The two databases we run on; anything else is a configuration error. */
export function dialectOf(source: DataSource | EntityManager | QueryRunner): Dialect {
  const options = 'options' in source ? source.options : source.connection.options;
  const type = options.type;
  if (type === 'postgres') return 'postgres';
  if (type === 'better-sqlite3' || type === 'sqlite') return 'sqlite';
  throw new Error(`unsupported database type "${type}" (expected postgres or better-sqlite3)`);
}

/** `$1, $2 …` on PostgreSQL, `?` on SQLite. */
export function placeholder(dialect: Dialect, index: number): string {
  return dialect === 'postgres' ? `$${index}` : '?';
}

/** Table and column names are ours (never user input), but they are still checked before going into SQL text. */
export function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a safe SQL identifier: "${name}"`);
  return name;
}
