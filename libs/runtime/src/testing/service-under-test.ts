import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { signToken, type Principal } from '@jixiao/auth';
import { deletePrefix, TEST_REDIS_URL, testPrefix } from '@jixiao/messaging/testing/test-redis';
import { TEST_DATABASE_URL, type TestDialect } from '@jixiao/persistence/testing/test-database';
import { freePort } from '../free-port';
import { type RunningSystem, type ServiceModuleFactory, startServices } from '../run-services';

/**
 * Test helper (integration tests only): one service booted like `npm run start:<svc>`, on its own DB and prefix
 * (intake's and scoring's tests).
 */

export const RULES_DIR = resolve(__dirname, '../../../../rules');
export const JWT_SECRET = 'integration-test-secret-0123456789';

export interface Storage {
  dialect: TestDialect;
  dataDir: string;
  schema: string | null;
  prefix: string;
}

/** A temp DATA_DIR (SQLite) or a fresh PostgreSQL schema, and a BullMQ prefix of its own. */
export function newStorage(dialect: TestDialect, name: string): Storage {
  return {
    dialect,
    dataDir: mkdtempSync(join(tmpdir(), `jixiao-${name}-`)),
    schema: dialect === 'postgres' ? `t_${name}_${randomBytes(5).toString('hex')}` : null,
    prefix: testPrefix(),
  };
}

export async function dropStorage(s: Storage): Promise<void> {
  if (s.schema) {
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${s.schema}" CASCADE`);
    } finally {
      await client.end();
    }
  }
  rmSync(s.dataDir, { recursive: true, force: true });
  await deletePrefix(s.prefix);
}

export async function boot(
  factories: ServiceModuleFactory[],
  s: Storage,
  extraEnv: Record<string, string> = {},
): Promise<RunningSystem> {
  const env: NodeJS.ProcessEnv = {
    PORT: String(await freePort()),
    DATA_DIR: s.dataDir,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: s.prefix,
    JWT_SECRET,
    RULES_DIR,
    LOG_LEVEL: 'silent',
    ...(s.schema ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: s.schema } : {}),
    ...extraEnv,
  };
  return startServices(factories, { title: 'test', env });
}

export function token(principal: Principal): string {
  return signToken(principal, JWT_SECRET);
}

export function bearer(principal: Principal): Record<string, string> {
  return { authorization: `Bearer ${token(principal)}` };
}
