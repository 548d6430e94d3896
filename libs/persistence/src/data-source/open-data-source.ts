import { DataSource } from 'typeorm';
import { createDataSourceOptions, type PersistenceConfig } from './data-source-options';

/**
 * Creates and initializes the data source; on PostgreSQL creates the configured schema if it is missing (unless
 * `createSchema` is false: a tool that only reads).
 */
export async function openDataSource(config: PersistenceConfig & { createSchema?: boolean }): Promise<DataSource> {
  const options = createDataSourceOptions(config);
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  if (config.createSchema !== false && options.type === 'postgres' && options.schema && options.schema !== 'public') {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`).catch(ignoreConcurrentCreate);
  }
  return dataSource;
}

/**
 * `CREATE SCHEMA IF NOT EXISTS` is not safe against a concurrent identical statement (the services of one process
 * open their data sources at once): the loser fails with a unique violation on pg_namespace, or "already exists".
 * Either means the schema is there.
 */
export function ignoreConcurrentCreate(err: unknown): void {
  const code = (err as { code?: string })?.code;
  if (code === '23505' || code === '42P06') return;
  throw err;
}
