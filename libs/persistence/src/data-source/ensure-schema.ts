import { Client } from 'pg';
import { assertIdentifier } from './dialect';
import { ignoreConcurrentCreate } from './open-data-source';

/**
 * Creates a PostgreSQL schema if it is missing, before any data source uses it: for callers that build the data
 * source elsewhere from `createDataSourceOptions` (e.g. `TypeOrmModule.forRootAsync`). `openDataSource` does this itself.
 */
export async function ensurePostgresSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => undefined); // a connection lost here fails the query below; unheard, it would end the process
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${assertIdentifier(schema)}"`).catch(ignoreConcurrentCreate);
  } finally {
    await client.end();
  }
}
