import type { DataSource, DataSourceOptions } from 'typeorm';
import { openDataSource, runMigrations } from '@jixiao/persistence';
import type { ServiceContext } from './service-context';

export interface ServiceDatabase {
  name: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/** A service's own database, from the process configuration (PostgreSQL schema or SQLite under DATA_DIR), migrated. */
export async function openServiceDatabase(ctx: Pick<ServiceContext, 'config' | 'dataDir'>, db: ServiceDatabase): Promise<DataSource> {
  const dataSource = await openDataSource({
    name: db.name,
    databaseUrl: ctx.config.DATABASE_URL,
    schema: ctx.config.DATABASE_SCHEMA,
    dataDir: ctx.dataDir,
    entities: db.entities,
    migrations: db.migrations,
  });
  await runMigrations(dataSource);
  return dataSource;
}
