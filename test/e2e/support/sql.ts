import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client } from 'pg';
import { PG_URL, type TestSystem } from './system';

/** Direct SQL on one service's database, as an operator with database access would do it (for tampering tests). */
export async function withServiceDb<T>(
  sys: TestSystem,
  service: string,
  fn: (q: (sql: string, params?: unknown[]) => Promise<any[]>, dialect: 'sqlite' | 'postgres') => Promise<T>,
): Promise<T> {
  if (sys.schema) {
    const pg = new Client({ connectionString: PG_URL, options: `-c search_path=${sys.schema}` });
    await pg.connect();
    try {
      return await fn(async (sql, params) => (await pg.query(toPg(sql), params as unknown[])).rows, 'postgres');
    } finally {
      await pg.end();
    }
  }
  const db = new Database(join(sys.dataDir, `${service}.sqlite`));
  db.pragma('busy_timeout = 5000');
  try {
    return await fn(async (sql, params = []) => {
      const stmt = db.prepare(sql);
      return stmt.reader ? stmt.all(...(params as unknown[])) : (stmt.run(...(params as unknown[])), []);
    }, 'sqlite');
  } finally {
    db.close();
  }
}

/** `?` placeholders → `$1…` for PostgreSQL. */
function toPg(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/** Removes the append-only protection the way a malicious operator would have to, before tampering. */
export async function dropAuditGuards(q: (sql: string) => Promise<any[]>, dialect: 'sqlite' | 'postgres', table: string): Promise<void> {
  if (dialect === 'postgres') {
    await q(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    return;
  }
  const triggers = await q(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '${table}'`);
  for (const t of triggers) await q(`DROP TRIGGER "${t.name}"`);
}
