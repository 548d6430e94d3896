import { describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../testing/test-redis';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAppendOnly, checkNoEviction, createRedisConnection } from './redis-connection';

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

  it('warns when Redis keeps no append-only file (a restart would lose queued events), not when it does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-aof-'));
    // a redis-server of its own with appendonly yes, as the embedded default and docker/compose.yml run it
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    const server = spawn(
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--save', ''],
      {
        stdio: 'ignore',
      },
    );
    const shared = createRedisConnection(TEST_REDIS_URL, 'worker');
    const own = createRedisConnection(`redis://127.0.0.1:${port}`, 'worker');
    own.on('error', () => undefined);
    try {
      const [, actual] = (await shared.config('GET', 'appendonly')) as [string, string];
      for (const [redis, expected] of [
        [shared, actual === 'yes'],
        [own, true],
      ] as const) {
        const warnings: string[] = [];
        const on = await checkAppendOnly(redis, {
          log: () => undefined,
          warn: (m) => warnings.push(m),
          error: () => undefined,
        });
        expect(on).toBe(expected);
        expect(warnings).toEqual(
          expected ? [] : [expect.stringMatching(/^Redis keeps no append-only file \(appendonly no\)/)],
        );
      }
    } finally {
      shared.disconnect();
      own.disconnect();
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
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
