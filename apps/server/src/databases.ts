import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  type AuditPage,
  type AuditSearch,
  dialectOf,
  openDataSource,
  runMigrations,
  searchAudit,
  verifyAudit,
  type AuditVerification,
} from '@jixiao/persistence';
import type { Config } from '@jixiao/runtime';
import { INTAKE_MIGRATIONS } from '../../intake/src/persistence/intake.migrations';
import { INTAKE_TABLES } from '../../intake/src/persistence/intake-tables';
import { PUBLICATION_MIGRATIONS } from '../../publication/src/persistence/publication.migrations';
import { PUBLICATION_TABLES } from '../../publication/src/persistence/publication.tables';
import { REVIEW_MIGRATIONS } from '../../review/src/persistence/review.persistence';
import { REVIEW_TABLES } from '../../review/src/persistence/review-tables';
import { SCORING_MIGRATIONS } from '../../scoring/src/persistence/scoring.migrations';
import { SCORING_TABLES } from '../../scoring/src/persistence/scoring-tables';

/** Each service's database as the operator tools see it: its migrations and its audit table (raw SQL only). */
export const DATABASES = [
  { service: 'intake', migrations: INTAKE_MIGRATIONS, audit: INTAKE_TABLES.audit },
  { service: 'scoring', migrations: SCORING_MIGRATIONS, audit: SCORING_TABLES.audit },
  { service: 'review', migrations: REVIEW_MIGRATIONS, audit: REVIEW_TABLES.audit },
  { service: 'publication', migrations: PUBLICATION_MIGRATIONS, audit: PUBLICATION_TABLES.audit },
] as const;

export type Db = (typeof DATABASES)[number];

export function open(db: Db, config: Config, createSchema = true) {
  return openDataSource({
    createSchema,
    name: db.service,
    databaseUrl: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    dataDir: resolve(config.DATA_DIR),
    entities: [],
    migrations: [...db.migrations],
  });
}

/** `npm run migrate`: brings every service's tables up to date (the services also do this when they start). */
export async function migrateAll(config: Config, log: (line: string) => void): Promise<void> {
  for (const db of DATABASES) {
    const ds = await open(db, config);
    try {
      const ran = await runMigrations(ds);
      log(`${db.service}: ${ran.length ? `applied ${ran.map((m) => m.name).join(', ')}` : 'up to date'}`);
    } finally {
      await ds.destroy();
    }
  }
}

/** A service whose audit table is not where the configuration points (deleted, or never created there). */
export type MissingAudit = { ok: false; records: 0; missing: string };

/** Thrown when no service has an audit trail where the configuration points: the wrong database, or a new one. */
export class NoAuditTrailError extends Error {}

/**
 * `jixiao audit verify`: checks every service's hash chain, reading only: it creates no schema, file or table. A
 * service whose audit table is missing while others have theirs fails verification (a table removed is tampering);
 * none at all means the configuration points at a database where nothing has run.
 */
export async function verifyAll(
  config: Config,
): Promise<{ ok: boolean; records: number; chains: Record<string, AuditVerification | MissingAudit> }> {
  const where = config.DATABASE_URL
    ? `PostgreSQL schema ${config.DATABASE_SCHEMA ?? 'public'}`
    : `the SQLite files of DATA_DIR=${resolve(config.DATA_DIR)}`;
  const chains: Record<string, AuditVerification | MissingAudit> = {};
  for (const db of DATABASES) {
    const missing = { ok: false as const, records: 0 as const, missing: `no audit table ${db.audit} in ${where}` };
    if (!config.DATABASE_URL && !existsSync(join(resolve(config.DATA_DIR), `${db.service}.sqlite`))) {
      chains[db.service] = missing;
      continue;
    }
    const ds = await open(db, config, false);
    try {
      chains[db.service] = (await hasTable(ds, db.audit)) ? await verifyAudit(ds, db.audit) : missing;
    } finally {
      await ds.destroy();
    }
  }
  const all = Object.values(chains);
  if (all.every((c) => 'missing' in c))
    throw new NoAuditTrailError(
      `no audit trail in ${where}: no service has run against it (npm run migrate, or start the services), or DATABASE_URL, DATABASE_SCHEMA or DATA_DIR point elsewhere`,
    );
  return { ok: all.every((c) => c.ok), records: all.reduce((n, c) => n + c.records, 0), chains };
}

/**
 * `jixiao audit log`: each chosen service's audit records that match, newest first (reading only, like `verifyAll`);
 * a service with no database or audit table where the configuration points is left out.
 */
export async function searchAll(
  config: Config,
  services: readonly string[],
  search: AuditSearch,
): Promise<Array<{ service: string } & AuditPage>> {
  const found: Array<{ service: string } & AuditPage> = [];
  for (const db of DATABASES.filter((d) => services.includes(d.service))) {
    if (!config.DATABASE_URL && !existsSync(join(resolve(config.DATA_DIR), `${db.service}.sqlite`))) continue;
    const ds = await open(db, config, false);
    try {
      if (await hasTable(ds, db.audit)) found.push({ service: db.service, ...(await searchAudit(ds.manager, db.audit, search)) });
    } finally {
      await ds.destroy();
    }
  }
  if (found.length === 0) throw new NoAuditTrailError(`no audit trail of ${services.join(', ')} where DATABASE_URL, DATABASE_SCHEMA or DATA_DIR point`);
  return found;
}

export async function hasTable(ds: DataSource, table: string): Promise<boolean> {
  const rows: unknown[] =
    dialectOf(ds) === 'postgres'
      ? await ds.query('SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1', [table])
      : await ds.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
  return rows.length > 0;
}
