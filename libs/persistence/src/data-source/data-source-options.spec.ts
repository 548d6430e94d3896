import { describe, expect, it } from 'vitest';
import { createDataSourceOptions } from './data-source-options';

const base = { name: 'scoring', entities: [], migrations: [] };

describe('createDataSourceOptions', () => {
  it('defaults to a SQLite file per service under ./var, never synchronizing', () => {
    const o = createDataSourceOptions(base);
    expect(o.type).toBe('better-sqlite3');
    expect(String(o.database)).toMatch(/var\/scoring\.sqlite$/);
    expect(o.synchronize).toBe(false);
    expect(o.migrationsTableName).toBe('scoring_migrations');
  });

  it('selects PostgreSQL from a postgres:// URL with the schema on the search path', () => {
    const o = createDataSourceOptions({ ...base, databaseUrl: 'postgresql://u@db:5432/jx', schema: 'scoring' });
    expect(o).toMatchObject({ type: 'postgres', url: 'postgresql://u@db:5432/jx', schema: 'scoring' });
    expect((o as { extra: { options: string } }).extra.options).toBe('-c search_path=scoring');
  });

  it('refuses a DATABASE_URL it cannot use, and unsafe names', () => {
    expect(() => createDataSourceOptions({ ...base, databaseUrl: 'mysql://x' })).toThrow(
      /DATABASE_URL must start with postgres/,
    );
    expect(() => createDataSourceOptions({ ...base, databaseUrl: 'postgres://x/y', schema: 'a;drop' })).toThrow(
      /safe SQL identifier/,
    );
  });
});
