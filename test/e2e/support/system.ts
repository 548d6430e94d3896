import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { signToken, type Role } from '@jixiao/auth';
import { dropPrefix } from '@jixiao/messaging/testing/test-redis';
import { freePort, startServices, type RunningSystem } from '@jixiao/runtime';
import { factoriesFor } from '../../../apps/server/src/services';

export { dropPrefix, freePort };

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'e2e-secret-0123456789abcdef';

export interface TestSystem {
  url: string;
  system: RunningSystem;
  prefix: string;
  schema: string | null;
  dataDir: string;
  token(role: Role, regions: string[], unit?: string): string;
  close(): Promise<void>;
}

/**
 * The whole system in this process, as `npm start` runs it, on its own data: a temp DATA_DIR (SQLite) or its own
 * PostgreSQL schema, its own BullMQ prefix, a free port. Everything is removed on close.
 */
export async function startSystem(opts: {
  db: 'sqlite' | 'postgres';
  redisUrl?: string;
  extraEnv?: Record<string, string>;
  /** SERVICE: the services this "process" runs (default all). */
  service?: string;
  /** Another part of the same deployment: share its data directory, schema and queue prefix (it cleans them up). */
  partOf?: TestSystem;
}): Promise<TestSystem> {
  const id = randomBytes(4).toString('hex');
  const dataDir = opts.partOf?.dataDir ?? mkdtempSync(join(tmpdir(), `jixiao-e2e-${id}-`));
  const prefix = opts.partOf?.prefix ?? `e2e-${id}`;
  const schema = opts.partOf ? opts.partOf.schema : opts.db === 'postgres' ? `e2e_${id}` : null;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PORT: String(port),
    DATA_DIR: dataDir,
    REDIS_URL: opts.redisUrl ?? REDIS_URL,
    QUEUE_PREFIX: prefix,
    JWT_SECRET: SECRET,
    LOG_LEVEL: 'error',
    SERVICE: opts.service ?? 'all',
    ...(schema ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema } : {}),
    ...opts.extraEnv,
  };
  const system = await startServices(factoriesFor(opts.service ?? 'all'), { title: 'Jixiao e2e', env });
  return {
    url: system.url,
    system,
    prefix,
    schema,
    dataDir,
    token: (role, regions, unit) => signToken({ sub: `${role}-${regions.join('-')}`, role, regions, unit }, SECRET),
    close: async () => {
      await system.close();
      if (opts.partOf) return;
      await dropPrefix(opts.redisUrl ?? REDIS_URL, prefix);
      if (schema) await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const pg = new Client({ connectionString: PG_URL });
  await pg.connect();
  try {
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pg.end();
  }
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs` (a bound, not a speed assertion). */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
