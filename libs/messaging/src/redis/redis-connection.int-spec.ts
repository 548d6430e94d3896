import { describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../testing/test-redis';
import { checkNoEviction, createRedisConnection } from './redis-connection';

describe('Redis connections (real Redis)', () => {
  it('connects as worker and producer, and reports the eviction policy, warning unless noeviction', async () => {
    const worker = createRedisConnection(TEST_REDIS_URL, 'worker', 'jx-test-worker');
    const producer = createRedisConnection(TEST_REDIS_URL, 'producer', 'jx-test-producer');
    try {
      expect(await worker.ping()).toBe('PONG');
      await new Promise<void>((resolve) =>
        producer.status === 'ready' ? resolve() : producer.once('ready', () => resolve()),
      );
      expect(await producer.ping()).toBe('PONG');
      const [, actual] = (await worker.config('GET', 'maxmemory-policy')) as [string, string];
      const warnings: string[] = [];
      const policy = await checkNoEviction(producer, {
        log: () => undefined,
        warn: (m) => warnings.push(m),
        error: () => undefined,
      });
      expect(policy).toBe(actual);
      expect(warnings.length).toBe(actual === 'noeviction' ? 0 : 1);
    } finally {
      worker.disconnect();
      producer.disconnect();
    }
  });

  it('a producer fails fast instead of queueing commands while Redis is unreachable', async () => {
    const producer = createRedisConnection({ host: '127.0.0.1', port: 1, connectTimeout: 200 }, 'producer');
    producer.on('error', () => undefined);
    try {
      await expect(producer.ping()).rejects.toThrow();
    } finally {
      producer.disconnect();
    }
  });
});
