import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { PG_URL, type TestSystem } from './system';

/** Row counts of every table of every service (SQLite files under DATA_DIR, or the PostgreSQL schema). */
export async function tableCounts(sys: TestSystem): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (sys.schema) {
    const pg = new Client({ connectionString: PG_URL });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`,
        [sys.schema],
      );
      for (const { table_name } of rows) {
        const r = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM "${sys.schema}"."${table_name}"`);
        counts[table_name] = Number(r.rows[0].n);
      }
    } finally {
      await pg.end();
    }
    return counts;
  }
  for (const file of readdirSync(sys.dataDir).filter((f) => f.endsWith('.sqlite'))) {
    const db = new Database(join(sys.dataDir, file), { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1`).all() as { name: string }[];
      for (const { name } of tables) counts[name] = (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  return counts;
}
