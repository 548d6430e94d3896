import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL, openTestDatabase, type TestDatabase } from '../testing/test-database';
import { createDataSourceOptions } from './data-source-options';
import { ensurePostgresSchema } from './ensure-schema';
import { withTransaction } from './transaction';

describe('data sources', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('SQLite runs in WAL mode with a busy timeout, in a file under the data dir', async () => {
    db = await openTestDatabase('sqlite', { name: 'intake', entities: [], migrations: [] });
    expect(db.location).toMatch(/intake\.sqlite$/);
    expect(await db.dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.dataSource.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5000 }]);
  });

  it.each(['sqlite', 'postgres'] as const)(
    '%s: a nested withTransaction is refused instead of deadlocking',
    async (dialect) => {
      db = await openTestDatabase(dialect, { name: 'nested', entities: [], migrations: [] });
      const ds = db.dataSource;
      await expect(withTransaction(ds, () => withTransaction(ds, async () => 1))).rejects.toThrow(
        /pass the EntityManager down/,
      );
      // Sequential and concurrent (non-nested) transactions still work.
      expect(await Promise.all([withTransaction(ds, async () => 1), withTransaction(ds, async () => 2)])).toEqual([
        1, 2,
      ]);
    },
  );

  it('PostgreSQL points search_path at the service schema, so raw SQL lands there', async () => {
    db = await openTestDatabase('postgres', { name: 'intake', entities: [], migrations: [] });
    const [row] = await db.dataSource.query('SHOW search_path');
    expect(row.search_path).toBe(db.location);
    await db.dataSource.query('CREATE TABLE probe (id integer)');
    const rows = await db.dataSource.query(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'probe'`,
    );
    expect(rows).toEqual([{ table_schema: db.location }]);
  });

  it('ensurePostgresSchema creates a missing schema once, for data sources built from the bare options', async () => {
    const schema = `t_ensure_${randomBytes(5).toString('hex')}`;
    await ensurePostgresSchema(TEST_DATABASE_URL, schema);
    await ensurePostgresSchema(TEST_DATABASE_URL, schema);
    const ds = new DataSource(
      createDataSourceOptions({ name: 'x', databaseUrl: TEST_DATABASE_URL, schema, entities: [], migrations: [] }),
    );
    await ds.initialize();
    try {
      const rows = await ds.query(`SELECT 1 AS ok FROM information_schema.schemata WHERE schema_name = $1`, [schema]);
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
      await ds.destroy();
    }
  });
});
