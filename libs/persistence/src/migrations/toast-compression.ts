import { assertIdentifier, dialectOf } from '../data-source/dialect';
import { defineMigration, type MigrationClass } from './define-migration';

/**
 * Large column values (JSON documents, events) are compressed by PostgreSQL when they are stored out of line
 * (TOAST), with pglz unless a column says otherwise. lz4 (PostgreSQL 14 and later, built with it as Debian's packages
 * and the official images are) compresses several times faster at a similar ratio: a re-scoring chunk's event
 * (~1.4 MB of JSON) costs the server ~20 ms to insert with pglz and ~5 ms with lz4, and reads back faster too.
 *
 * Sets the columns' compression to lz4 where the server has it; only values written afterwards are affected (rows
 * already stored stay readable as they are). Nothing happens on SQLite or on a server without lz4.
 */
export function lz4CompressionMigration(
  name: string,
  timestamp: number,
  columns: ReadonlyArray<readonly [table: string, column: string]>,
): MigrationClass {
  const alter = (method: 'lz4' | 'pglz') =>
    columns
      .map(([t, c]) => `ALTER TABLE ${assertIdentifier(t)} ALTER COLUMN ${assertIdentifier(c)} SET COMPRESSION ${method}`)
      .join('; ');
  return defineMigration(name, timestamp, {
    async up(queryRunner) {
      if (dialectOf(queryRunner.manager) !== 'postgres' || !(await hasLz4(queryRunner.manager))) return;
      await queryRunner.query(alter('lz4'));
    },
    async down(queryRunner) {
      if (dialectOf(queryRunner.manager) !== 'postgres' || !(await hasLz4(queryRunner.manager))) return;
      await queryRunner.query(alter('pglz'));
    },
  });
}

async function hasLz4(m: { query(sql: string): Promise<Array<{ ok: unknown }>> }): Promise<boolean> {
  const [row] = await m.query(
    `SELECT current_setting('server_version_num')::int >= 140000
        AND EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) AS ok`,
  );
  return row?.ok === true;
}
