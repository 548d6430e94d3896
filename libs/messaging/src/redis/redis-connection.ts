import IORedis, { type Redis, type RedisOptions } from 'ioredis';
import type { MessagingLogger } from '../logger';
import { errorMessage } from '../logger';
import { installRedisTextDecoding } from './redis-text-decoding';

/** A `redis://` URL or ioredis options. */
export type RedisConnectionInput = string | RedisOptions;

export type RedisRole = 'worker' | 'producer';

/** BullMQ's advice: keep reconnecting, at least 1 s and at most 20 s apart. */
export const reconnectStrategy = (times: number) => Math.max(Math.min(Math.exp(times), 20_000), 1_000);

/**
 * Connection options per role, following BullMQ's production advice:
 * - worker: `maxRetriesPerRequest: null` so blocking commands wait through a reconnection instead of failing;
 * - producer: `enableOfflineQueue: false` and a command timeout, so adding jobs fails fast while Redis is away
 *   (the outbox keeps the events and the relay retries) instead of piling commands up in memory.
 * Also puts the faster decoding of long UTF-8 replies in place (installRedisTextDecoding).
 */
export function redisOptions(input: RedisConnectionInput, role: RedisRole): RedisOptions {
  // every connection of a service is made from these options: its replies are decoded the faster way from here on
  installRedisTextDecoding();
  const base: RedisOptions = typeof input === 'string' ? parseRedisUrl(input) : { ...input };
  const common: RedisOptions = { retryStrategy: reconnectStrategy, ...base };
  return role === 'worker'
    ? { ...common, maxRetriesPerRequest: null }
    : { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: base.commandTimeout ?? 10_000 };
}

export function createRedisConnection(input: RedisConnectionInput, role: RedisRole, name?: string): Redis {
  return new IORedis({ ...redisOptions(input, role), connectionName: name, lazyConnect: false });
}

function parseRedisUrl(url: string): RedisOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new Error(`REDIS_URL must start with redis:// or rediss:// (got ${u.protocol})`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * BullMQ needs `maxmemory-policy noeviction`: under memory pressure any other policy silently drops job keys.
 * Reads `INFO memory` (works where CONFIG is disabled). Returns the policy; warns when it is not noeviction.
 */
export async function checkNoEviction(redis: Redis, logger: MessagingLogger): Promise<string | null> {
  try {
    const info = await redis.info('memory');
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
    if (policy !== 'noeviction') {
      logger.warn(
        `Redis maxmemory-policy is "${policy ?? 'unknown'}": BullMQ needs "noeviction" or jobs can be evicted under memory pressure ` +
          `(set "maxmemory-policy noeviction" in redis.conf)`,
      );
    }
    return policy;
  } catch (err) {
    logger.warn(`could not read Redis maxmemory-policy: ${errorMessage(err)}`);
    return null;
  }
}

/**
 * Queued jobs live only in Redis once the relay has marked their outbox rows sent: a Redis that keeps no append-only
 * file loses them when it restarts (an RDB snapshot keeps only what it saw last). Reads `INFO persistence`; warns
 * when AOF is off. Returns whether it is on (null when it could not tell).
 */
export async function checkAppendOnly(redis: Redis, logger: MessagingLogger): Promise<boolean | null> {
  try {
    const info = await redis.info('persistence');
    const enabled = /^aof_enabled:(\d)/m.exec(info)?.[1];
    if (enabled === undefined) return null;
    if (enabled === '0')
      logger.warn(
        'Redis keeps no append-only file (appendonly no): a restart of Redis loses the events queued in it ' +
          '(set "appendonly yes" in redis.conf, as docker/compose.yml does)',
      );
    return enabled === '1';
  } catch (err) {
    logger.warn(`could not read Redis persistence settings: ${errorMessage(err)}`);
    return null;
  }
}
