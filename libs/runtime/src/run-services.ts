import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { resolveJwtSecret } from '@jixiao/auth';
import { defaultRulesDir } from '@jixiao/scoring';
import { ConfigError, loadConfig, type Config } from './config';
import { createHttpApp } from './http-app';
import { mountQueueDashboard } from './queue-dashboard';
import { checkDatabase, DatabaseUnavailableError } from './database-check';
import { ensureRedis, RedisUnavailableError } from './redis-bootstrap';
import { RuntimeModule } from './runtime.module';
import type { ServiceContext } from './service-context';
import { markRunning } from './running-marker';

export type ServiceModuleFactory = (ctx: ServiceContext) => DynamicModule;

export interface RunOptions {
  /** Title of the OpenAPI document and name in the logs. */
  title: string;
  /** Port when PORT is not set (each service alone has its own). */
  defaultPort?: number;
  env?: NodeJS.ProcessEnv;
  /** Called after the app listens (e.g. to load demo data). */
  afterListen?: (app: INestApplication, ctx: ServiceContext) => Promise<void>;
}

export interface RunningSystem {
  app: INestApplication;
  ctx: ServiceContext;
  url: string;
  /**
   * Stops everything. With `SIGTERM` and SHUTDOWN_GRACE_MS set, /health answers 503 (`shutting_down`) and requests
   * are still served for that long first.
   */
  close(signal?: string): Promise<void>;
}

/**
 * Job ids are `<producer>-<outbox id>`, and BullMQ silently ignores a job whose id it still holds. A fresh embedded
 * database (a new DATA_DIR, or var/ deleted) restarts outbox ids at 1, so on a Redis that kept the last run's
 * completed jobs its events would be dropped. Unless QUEUE_PREFIX is set, each SQLite data directory therefore gets
 * queues of its own (`jixiao-<instance id>`, the id kept in DATA_DIR/instance-id); with PostgreSQL the processes of
 * one deployment share `jixiao`. `create` false: only read the id (a command-line tool), never make one.
 */
export function queuePrefixFor(config: Config, env: NodeJS.ProcessEnv, dataDir: string, create = true): string {
  if (env.QUEUE_PREFIX || config.DATABASE_URL) return config.QUEUE_PREFIX;
  const file = join(dataDir, 'instance-id');
  if (!existsSync(file)) {
    if (!create) return config.QUEUE_PREFIX; // a tool reading a data directory no service has used yet
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(6).toString('hex')}\n`, { flag: 'wx' });
  }
  return `${config.QUEUE_PREFIX}-${readFileSync(file, 'utf8').trim()}`;
}

/** Builds the context, then the Nest app holding the given service modules. Throws on bad configuration. */
export async function startServices(factories: ServiceModuleFactory[], opts: RunOptions): Promise<RunningSystem> {
  const env = { ...(opts.env ?? process.env) };
  if (!env.PORT && opts.defaultPort) env.PORT = String(opts.defaultPort);
  const loaded: Config = loadConfig(env);
  const dataDir = resolve(loaded.DATA_DIR);
  const config: Config = { ...loaded, QUEUE_PREFIX: queuePrefixFor(loaded, env, dataDir) };
  if (config.DATABASE_URL && factories.length > 0) await checkDatabase(config.DATABASE_URL);
  const redis = await ensureRedis({ url: config.REDIS_URL, dataDir, log: (m) => process.stderr.write(`jixiao: ${m}\n`) });
  const jwtSecret = config.JWT_SECRET ?? resolveJwtSecret({ env, dataDir, create: true })!;
  // the checkout's rules/, or the image's (/app/rules beside dist/): found upwards from here, so it holds for both
  const rulesDir = resolve(config.RULES_DIR ?? defaultRulesDir());
  const jwtVerificationSecrets = [jwtSecret, ...(config.JWT_SECRET_PREVIOUS ? [config.JWT_SECRET_PREVIOUS] : [])];
  const ctx: ServiceContext = { config, redisUrl: redis.url, jwtSecret, jwtVerificationSecrets, rulesDir, dataDir };

  @Module({ imports: [RuntimeModule.forRoot(ctx), ...factories.map((f) => f(ctx))] })
  class RootModule {}

  const app = await createHttpApp(RootModule, opts.title);
  const closeDashboard = mountQueueDashboard(app, ctx);
  await app.listen(config.PORT, '0.0.0.0');
  const url = `http://127.0.0.1:${config.PORT}`;
  // the embedded databases are in use (jixiao backup restore refuses to replace them meanwhile)
  const unmark = config.DATABASE_URL ? () => undefined : markRunning(dataDir);
  if (opts.afterListen) await opts.afterListen(app, ctx);
  return {
    app,
    ctx,
    url,
    close: async (signal?: string) => {
      // Nest's close takes the signal (its shutdown hooks get it; its own signal handling passes it) though its
      // interface does not say so
      await (app as unknown as { close(signal?: string): Promise<void> }).close(signal);
      await closeDashboard();
      await redis.stop();
      unmark();
    },
  };
}

/** The entry point of a process: starts, prints where it listens, exits 2 with a clear message on bad setup. */
export async function runServices(factories: ServiceModuleFactory[], opts: RunOptions): Promise<void> {
  try {
    applyHeapGrowingPercent(loadConfig(opts.env ?? process.env).HEAP_GROWING_PERCENT);
    const system = await startServices(factories, opts);
    process.stderr.write(`jixiao: ${opts.title} listening on ${system.url} (OpenAPI at ${system.url}/docs)\n`);
    const stop = (signal: NodeJS.Signals) => void system.close(signal).then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof RedisUnavailableError || err instanceof DatabaseUnavailableError) {
      process.stderr.write(`jixiao: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/**
 * Sets V8's heap growing factor for this process (1 + percent / 100; 0 leaves V8's own). V8 lets the old generation
 * grow to 4× what survived the last full collection when the heap may reach 2 GB or more (on any machine with more
 * than ~16 GB of memory), and to 1.3–2× below. A re-scoring worker keeps ~90 MB alive while it allocates ~1 GB a
 * second: at 4× it collected seldom but reached 460–520 MB of RSS over a million evaluations (over the 512 MB each
 * worker may take); with a heap limit below 2 GB (`--max-old-space-size`, any value) 260–300 MB, but ~10% more CPU
 * per evaluation. 3× keeps the speed at ~400 MB (`bench:rescore -- --count 300000`, two workers: 9,211/s, 134 µs of
 * CPU per evaluation, 415 / 392 MB, against 8,963/s, 138 µs, 497 / 467 MB at 4× right after). The factor is read at
 * each collection, so setting it when the process starts holds for all of them.
 */
export function applyHeapGrowingPercent(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
