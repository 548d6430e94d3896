import type { DataSource, Migration } from 'typeorm';
import { forgetColumnTypes } from '../sql/column-types';

/** Runs the pending migrations of the data source, each in its own transaction; returns the ones that ran. */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  try {
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    // the column types statements cast their rows to (columnTypes) are read again from the migrated schema
    forgetColumnTypes(dataSource);
  }
}
