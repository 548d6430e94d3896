import { DataSource } from 'typeorm';
import { createDataSourceOptions, type PersistenceConfig } from './data-source-options';

/** Creates and initializes the data source; on PostgreSQL creates the configured schema if it is missing. */
export async function openDataSource(config: PersistenceConfig): Promise<DataSource> {
  const options = createDataSourceOptions(config);
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  if (options.type === 'postgres' && options.schema && options.schema !== 'public') {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  }
  return dataSource;
}
