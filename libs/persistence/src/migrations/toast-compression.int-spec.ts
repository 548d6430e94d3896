import { Table } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../testing/test-database';
import { defineMigration } from './define-migration';
import { portableColumns } from './portable-columns';
import { runMigrations } from './run-migrations';
import { lz4CompressionMigration } from './toast-compression';

const CreateDocs = defineMigration('CreateDocs', 1_700_000_000_000, {
  async up(q) {
    const c = portableColumns(q);
    await q.createTable(new Table({ name: 'docs', columns: [c.id(), c.json('body')] }));
  },
  async down(q) {
    await q.dropTable('docs');
  },
});
const Lz4 = lz4CompressionMigration('DocsLz4', 1_700_000_000_001, [['docs', 'body']]);

describe.each(TEST_DIALECTS)('lz4 compression of large columns on %s', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => db?.close());

  it('sets lz4 where the server has it, keeps values intact, and reverts to pglz', async () => {
    db = await openTestDatabase(dialect, { name: 'toast', entities: [], migrations: [CreateDocs, Lz4] });
    const ds = db.dataSource;
    await runMigrations(ds);
    const big = JSON.stringify({ items: Array.from({ length: 5_000 }, (_, i) => ({ i, 等级: '良', reason: `总分 ${i} → ${i + 1}` })) });
    await ds.query(`INSERT INTO docs (body) VALUES (${dialect === 'postgres' ? '$1' : '?'})`, [big]);
    expect((await ds.query('SELECT body FROM docs'))[0].body).toBe(big);
    if (dialect !== 'postgres') return;

    const [{ lz4 }] = await ds.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
    const method = async () =>
      (await ds.query(`SELECT attcompression AS m FROM pg_attribute WHERE attrelid = 'docs'::regclass AND attname = 'body'`))[0].m;
    const stored = async () => (await ds.query(`SELECT pg_column_compression(body) AS m FROM docs`))[0].m;
    expect(await method()).toBe(lz4 ? 'l' : '');
    expect(await stored()).toBe(lz4 ? 'lz4' : 'pglz');
    await ds.undoLastMigration();
    expect(await method()).toBe(lz4 ? 'p' : '');
  });
});
