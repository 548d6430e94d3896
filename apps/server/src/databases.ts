import { resolve } from 'node:path';
import { openDataSource, runMigrations, verifyAudit, type AuditVerification } from '@jixiao/persistence';
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

type Db = (typeof DATABASES)[number];

function open(db: Db, config: Config) {
  return openDataSource({
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

/** `jixiao audit verify`: checks every service's hash chain. */
export async function verifyAll(config: Config): Promise<{ ok: boolean; records: number; chains: Record<string, AuditVerification> }> {
  const chains: Record<string, AuditVerification> = {};
  for (const db of DATABASES) {
    const ds = await open(db, config);
    try {
      chains[db.service] = await verifyAudit(ds, db.audit);
    } finally {
      await ds.destroy();
    }
  }
  const all = Object.values(chains);
  return { ok: all.every((c) => c.ok), records: all.reduce((n, c) => n + c.records, 0), chains };
}
