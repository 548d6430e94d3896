import type { DataSource, Migration } from 'typeorm';

/** Runs the pending migrations of the data source, each in its own transaction; returns the ones that ran. */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  return dataSource.runMigrations({ transaction: 'each' });
}
