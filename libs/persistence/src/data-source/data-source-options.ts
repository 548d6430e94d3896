import { join, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { assertIdentifier } from './dialect';
import { installPgTextDecoding } from './pg-text-decoding';

export interface PersistenceConfig {
  /** The owning service (`intake`, `scoring` …): names the SQLite file and the migrations table. */
  name: string;
  /** `postgres://…` selects PostgreSQL; absent or empty selects SQLite under `dataDir`. */
  databaseUrl?: string;
  /** Directory of the SQLite files (default `./var`). */
  dataDir?: string;
  /** Overrides the SQLite file (`:memory:` for unit tests). */
  sqliteFile?: string;
  /** PostgreSQL schema for this data source (created if missing by `openDataSource`); default `public`. */
  schema?: string;
  /** Explicit entity classes of the service: no globs, no autoload. */
  entities: NonNullable<DataSourceOptions['entities']>;
  /** Migration classes of the service (see `defineMigration`, `auditMigration`, `messagingMigration`). */
  migrations: NonNullable<DataSourceOptions['migrations']>;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  logging?: boolean;
}

export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/**
 * TypeORM options for one service. SQLite is the embedded default: one file per service, WAL so readers never
 * block the writer, a busy timeout so a second process waits instead of failing. PostgreSQL sets `search_path` to
 * the configured schema so the raw SQL of the audit log, outbox and inbox lands in the same schema as the entities.
 */
export function createDataSourceOptions(config: PersistenceConfig): DataSourceOptions {
  const name = assertIdentifier(config.name);
  const common = {
    entities: config.entities,
    migrations: config.migrations,
    migrationsTableName: `${name}_migrations`,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: config.logging ?? false,
  };
  if (config.databaseUrl && !isPostgresUrl(config.databaseUrl)) {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${config.databaseUrl.split(':')[0]}:…")`,
    );
  }
  if (config.databaseUrl && isPostgresUrl(config.databaseUrl)) {
    const schema = assertIdentifier(config.schema ?? 'public');
    installPgTextDecoding();
    return {
      ...common,
      type: 'postgres',
      url: config.databaseUrl,
      schema,
      applicationName: `jixiao-${name}`,
      extra: { max: config.poolSize ?? 10, options: `-c search_path=${schema}` },
    };
  }
  const file = config.sqliteFile ?? join(resolve(config.dataDir ?? './var'), `${name}.sqlite`);
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    timeout: 5000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      // WAL + NORMAL is durable across application crashes; only an OS crash can lose the last transactions.
      db.pragma('synchronous = NORMAL');
    },
  };
}
