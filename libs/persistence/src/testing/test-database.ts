import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { PersistenceConfig } from '../data-source/data-source-options';
import { openDataSource } from '../data-source/open-data-source';

/** Test helpers (import from `@jixiao/persistence/testing`, never from production code). */

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof TEST_DIALECTS)[number];

export interface TestDatabase {
  dataSource: DataSource;
  /** The PostgreSQL schema, or the SQLite file. */
  location: string;
  close(): Promise<void>;
}

/** A throw-away database: a fresh random PostgreSQL schema (dropped on close) or a SQLite file in a temp dir. */
export async function openTestDatabase(
  dialect: TestDialect,
  config: Pick<PersistenceConfig, 'name' | 'entities' | 'migrations'> & Partial<PersistenceConfig>,
): Promise<TestDatabase> {
  const suffix = randomBytes(6).toString('hex');
  if (dialect === 'postgres') {
    const schema = `t_${config.name}_${suffix}`;
    const dataSource = await openDataSource({
      ...config,
      databaseUrl: TEST_DATABASE_URL,
      schema,
      poolSize: config.poolSize ?? 5,
    });
    return {
      dataSource,
      location: schema,
      async close() {
        await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await dataSource.destroy();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `jixiao-${config.name}-`));
  const dataSource = await openDataSource({ ...config, dataDir: dir, databaseUrl: undefined });
  return {
    dataSource,
    location: join(dir, `${config.name}.sqlite`),
    async close() {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
