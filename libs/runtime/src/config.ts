import { z } from 'zod';

/** Every environment variable Jixiao reads (documented in .env.example). */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Where the embedded default keeps its SQLite file, private Redis and JWT secret. */
  DATA_DIR: z.string().min(1).default('var'),
  /** postgres://user:pass@host:5432/db — PostgreSQL (production). Unset: SQLite under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .optional(),
  /** PostgreSQL schema for Jixiao's tables (default public). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case SQL identifier')
    .optional(),
  /** redis://host:6379 — unset: localhost:6379, or a private redis-server started under DATA_DIR. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// URL')
    .optional(),
  /** BullMQ key prefix (lets several deployments or test runs share one Redis). */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_:-]+$/).default('jixiao'),
  /** HS256 secret for bearer tokens; unset: generated once into DATA_DIR/jwt-secret. */
  JWT_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  /**
   * While JWT_SECRET is rotated: the secret it replaces, still accepted for the tokens signed with it (never used to
   * sign). Remove it once those tokens have expired.
   */
  JWT_SECRET_PREVIOUS: z.string().min(16, 'use at least 16 characters').optional(),
  /**
   * When set, `GET /metrics` answers only a scrape with `Authorization: Bearer <METRICS_TOKEN>` (Prometheus'
   * `authorization: { credentials_file: … }`); unset, it needs no token, like /health.
   */
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** Directory of the JSON rule sets (default: the repository rules/). */
  RULES_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Which services this process runs: `all` (the default), one of the four, or several separated by commas
   * (`intake,scoring`): on a 2-core machine, two processes of two services each use both cores.
   */
  SERVICE: z
    .string()
    .regex(
      /^(all|(intake|scoring|review|publication)(,(intake|scoring|review|publication))*)$/,
      'expected all, or one or more of intake, scoring, review, publication separated by commas',
    )
    .default('all'),
  /** Public base URL used in links on published pages. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Re-scoring chunks a scoring process works on at once (1 keeps a worker's memory lowest). */
  RESCORE_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** Evaluations per re-scoring chunk (one transaction and one event each). */
  RESCORE_CHUNK_SIZE: z.coerce.number().int().min(10).max(20_000).default(1_000),
  /**
   * How far V8 lets the heap grow past what survived its last full collection, in percent (V8's
   * `--heap-growing-percent`, set when a service process starts; 0 leaves V8's own, which is 300 on a machine with
   * several GB of memory and less below 2 GB of heap limit). See heapGrowingPercent.
   */
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1_000).default(200),
  /**
   * On SIGTERM, how long a process keeps serving with /health answering 503 (`shutting_down`) before it stops, so a
   * load balancer takes it out of rotation first (a rolling update of several replicas). 0: stop at once.
   */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(0),
});
export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Validates the environment; the error names every bad variable and why. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked = Object.fromEntries(Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = ConfigSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const key = String(i.path[0]);
    return `  ${i.path.join('.')}=${shown(key, picked[key])}: ${i.message}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

const SECRETS = new Set(['JWT_SECRET', 'JWT_SECRET_PREVIOUS', 'METRICS_TOKEN']);

/** A bad value as the error shows it: a secret only by its length, a URL without its password (logs travel). */
function shown(key: string, value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  if (SECRETS.has(key)) return `(${value.length} characters, not shown)`;
  return JSON.stringify(withoutPassword(value));
}

/** A URL as logs may show it: `postgres://jixiao:***@db:5432/jixiao`. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@');
}

/** Whether the messaging logs every event it handles (with its correlation id): at LOG_LEVEL debug or trace. */
export function logsEvents(config: Pick<Config, 'LOG_LEVEL'>): boolean {
  return config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
}
