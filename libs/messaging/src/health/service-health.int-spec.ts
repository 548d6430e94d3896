import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { enqueueEvents } from '../outbox/enqueue-events';
import { messagingMigrations } from '../outbox/messaging.migration';
import { deletePrefix, TEST_REDIS_URL, testPrefix } from '../testing/test-redis';
import { ServiceHealth } from './service-health';

describe.each(TEST_DIALECTS)('ServiceHealth on %s', (dialect) => {
  let db: TestDatabase;
  let prefix: string;
  let health: ServiceHealth;
  beforeEach(async () => {
    db = await openTestDatabase(dialect, {
      name: 'health',
      entities: [],
      migrations: [...messagingMigrations('review')],
    });
    await runMigrations(db.dataSource);
    prefix = testPrefix();
    health = new ServiceHealth({
      service: 'review',
      dataSource: db.dataSource,
      connection: TEST_REDIS_URL,
      prefix,
      queues: ['review-inbox'],
    });
  });
  afterEach(async () => {
    await health?.close();
    await db?.close();
    await deletePrefix(prefix);
  });

  it('reports the database, the unsent events and the oldest one’s age, Redis, and the depth of each queue it consumes', async () => {
    expect(await health.check()).toEqual({
      status: 'up',
      database: { status: 'up', dialect },
      outbox: { unsent: 0, oldestUnsentSeconds: null },
      redis: { status: 'up' },
      queues: { 'review-inbox': { waiting: 0, active: 0, delayed: 0, failed: 0, paused: 0 } },
    });

    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    await withTransaction(db.dataSource, (m) =>
      enqueueEvents(m, 'review', [
        { name: 'review.evaluation.routed.v1' as const, payloadJson: '{"a":1}', occurredAt: minuteAgo },
        { name: 'review.evaluation.routed.v1' as const, payloadJson: '{"a":2}' },
      ]),
    );
    const queue = new Queue('review-inbox', { connection: { url: TEST_REDIS_URL }, prefix });
    await queue.add('e', { x: 1 });
    await queue.close();

    const report = await health.check();
    expect(report.status).toBe('up');
    expect(report.outbox?.unsent).toBe(2);
    expect(report.outbox?.oldestUnsentSeconds).toBeGreaterThanOrEqual(60);
    expect(report.outbox?.oldestUnsentSeconds).toBeLessThan(120);
    expect(report.queues?.['review-inbox']).toMatchObject({ waiting: 1 });
  });

  it('is down, saying why, when its database does not answer', async () => {
    const gone = await openTestDatabase(dialect, { name: 'health_gone', entities: [], migrations: [] });
    await gone.close();
    const closed = new ServiceHealth({
      service: 'review',
      dataSource: gone.dataSource,
      connection: TEST_REDIS_URL,
      prefix,
    });
    try {
      const report = await closed.check();
      expect(report).toMatchObject({
        status: 'down',
        database: { status: 'down', dialect, error: expect.any(String) },
      });
      expect(report.outbox).toBeUndefined();
      expect(report.redis).toEqual({ status: 'up' });
    } finally {
      await closed.close();
    }
  });

  it('is down, without queue depths, when Redis does not answer', async () => {
    const away = new ServiceHealth({
      service: 'review',
      dataSource: db.dataSource,
      connection: { host: '127.0.0.1', port: 1, retryStrategy: () => null },
      queues: ['review-inbox'],
    });
    try {
      const report = await away.check();
      expect(report).toMatchObject({ status: 'down', database: { status: 'up' }, redis: { status: 'down' } });
      expect(report.redis.error).toMatch(/.+/);
      expect(report.queues).toBeUndefined();
    } finally {
      await away.close();
    }
  });
});
