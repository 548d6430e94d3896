import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { dialectOf } from '@jixiao/persistence';
import { errorMessage } from '../logger';
import { createRedisConnection, type RedisConnectionInput } from '../redis/redis-connection';
import { messagingTables } from '../tables';

export interface ServiceHealthOptions {
  service: string;
  dataSource: DataSource;
  /** Redis for the checks (a connection of their own, made here, closed by `close`). */
  connection: RedisConnectionInput;
  /** BullMQ's key prefix, when the queues have one. */
  prefix?: string;
  /** The queues the service consumes, whose depth to report (none for a service without an inbox). */
  queues?: readonly string[];
}

type Status = 'up' | 'down';

/** What one check found; the same shape for every service. */
export interface ServiceHealthReport {
  status: Status;
  database: { status: Status; dialect: string; error?: string };
  /** Events committed but not yet relayed to Redis, and how long the oldest of them has waited. */
  outbox?: { unsent: number; oldestUnsentSeconds: number | null };
  redis: { status: Status; error?: string };
  /** Each consumed queue's job counts (left out while Redis does not answer). */
  queues?: Record<string, Record<string, number>>;
}

/** How long a check waits for a connection that is (re)connecting. */
const READY_WAIT_MS = 2_000;
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'paused'] as const;

/**
 * A service's health as /health reports it: its database (a query on its outbox: how many events wait for the
 * relay and since when, which also shows a relay that is stuck), its Redis connection, and the depth of the queues
 * it consumes. The service is down when its database or Redis does not answer; a backlog is reported, not judged.
 */
export class ServiceHealth {
  private readonly redis: Redis;
  /** Made on the first check: a queue closed before its connection was ready would reject unhandled. */
  private queues: Queue[] | null = null;
  private readonly outbox: string;

  constructor(private readonly options: ServiceHealthOptions) {
    this.redis = createRedisConnection(options.connection, 'producer', `${options.service}-health`);
    this.redis.on('error', () => undefined); // reported by the check, not as an unhandled error
    this.outbox = messagingTables(options.service).outbox;
  }

  async check(): Promise<ServiceHealthReport> {
    const [database, redis] = await Promise.all([this.database(), this.redisAndQueues()]);
    const up = database.database.status === 'up' && redis.redis.status === 'up';
    return { status: up ? 'up' : 'down', ...database, ...redis };
  }

  /** Closes the queues and the connection the checks used. */
  async close(): Promise<void> {
    const queues = this.queues ?? [];
    this.queues = null;
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    this.redis.disconnect();
  }

  private async database(): Promise<Pick<ServiceHealthReport, 'database' | 'outbox'>> {
    const dialect = dialectOf(this.options.dataSource);
    try {
      const [row] = await this.options.dataSource.query(
        `SELECT COUNT(*) AS n, (SELECT occurred_at FROM ${this.outbox} WHERE sent_at IS NULL ORDER BY id LIMIT 1) AS oldest ` +
          `FROM ${this.outbox} WHERE sent_at IS NULL`,
      );
      const since = row.oldest ? Date.parse(row.oldest) : NaN; // ISO 8601 text on both databases
      return {
        database: { status: 'up', dialect },
        outbox: {
          unsent: Number(row.n),
          oldestUnsentSeconds: Number.isNaN(since) ? null : Math.max(0, Math.round((Date.now() - since) / 1000)),
        },
      };
    } catch (err) {
      return { database: { status: 'down', dialect, error: errorMessage(err) } };
    }
  }

  /** The connection refuses commands until it is ready (a producer's: no offline queue): wait a little for it. */
  private async connected(): Promise<void> {
    const redis = this.redis;
    if (redis.status === 'ready') return;
    if (redis.status === 'wait') return void (await redis.connect());
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        redis.off('ready', done);
        redis.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => done(new Error(`Redis is not connected (${redis.status})`)), READY_WAIT_MS);
      redis.once('ready', done);
      redis.once('error', done);
    });
  }

  private async redisAndQueues(): Promise<Pick<ServiceHealthReport, 'redis' | 'queues'>> {
    try {
      await this.connected();
      await this.redis.ping();
    } catch (err) {
      return { redis: { status: 'down', error: errorMessage(err) } };
    }
    const names = this.options.queues ?? [];
    if (names.length === 0) return { redis: { status: 'up' } };
    // the queues share the check's connection (BullMQ leaves a connection it was given open)
    this.queues ??= names.map((name) => {
      const q = new Queue(name, { connection: this.redis, prefix: this.options.prefix });
      q.on('error', () => undefined);
      return q;
    });
    try {
      const counts = await Promise.all(this.queues.map((q) => q.getJobCounts(...JOB_STATES)));
      return { redis: { status: 'up' }, queues: Object.fromEntries(names.map((n, i) => [n, counts[i]])) };
    } catch (err) {
      return { redis: { status: 'down', error: errorMessage(err) } };
    }
  }
}
