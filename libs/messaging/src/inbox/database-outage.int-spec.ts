import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { openDataSource, runMigrations } from '@jixiao/persistence';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import type { MessagingLogger } from '../logger';
import { messagingMigrations } from '../outbox/messaging.migration';
import { countEffects, effectsMigration, scoringHandlers, submissionEnvelope } from '../testing/pipeline-fixture';
import { deletePrefix, OutageProxy, TEST_REDIS_URL, testPrefix, waitFor } from '../testing/test-redis';
import { InboxWorker } from './inbox-worker';

/**
 * PostgreSQL behind a proxy that is cut: an outage of the database alone, longer than the jobs' retries (two
 * attempts 50 ms apart here; eight over ~4 minutes in production), while Redis and the worker keep running.
 */
describe('an inbox while its database does not answer', () => {
  let db: TestDatabase;
  let proxied: DataSource;
  let proxy: OutageProxy;
  let queue: Queue;
  let worker: InboxWorker;
  const prefix = testPrefix();
  const lines: string[] = [];
  const logger: MessagingLogger = {
    log: (m) => void lines.push(`log ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m) => void lines.push(`error ${m}`),
  };

  beforeEach(async () => {
    const config = {
      name: 'inboxoutage',
      entities: [],
      migrations: [...messagingMigrations('scoring'), effectsMigration],
    };
    db = await openTestDatabase('postgres', config);
    await runMigrations(db.dataSource);
    proxy = new OutageProxy({
      host: new URL(TEST_DATABASE_URL).hostname,
      port: Number(new URL(TEST_DATABASE_URL).port || 5432),
    });
    await proxy.start();
    proxied = await openDataSource({
      ...config,
      databaseUrl: proxy.postgresUrl(TEST_DATABASE_URL),
      schema: db.location,
      poolSize: 4,
    });
    queue = new Queue(QUEUES.scoringInbox, { connection: { url: TEST_REDIS_URL }, prefix });
    worker = new InboxWorker({
      service: 'scoring',
      queue: QUEUES.scoringInbox,
      dataSource: proxied,
      connection: TEST_REDIS_URL,
      prefix,
      handlers: scoringHandlers,
      logger,
      databaseRetryMs: 200,
    });
  });
  afterEach(async () => {
    await worker?.close();
    await queue?.close();
    await proxy?.restore().catch(() => undefined);
    await proxied?.destroy().catch(() => undefined);
    await proxy?.cut();
    await db?.close();
    await deletePrefix(prefix);
  });

  it('keeps its jobs waiting, without spending their retries, and handles each once the database is back', async () => {
    worker.start();
    const add = (from: number, n: number) =>
      queue.addBulk(
        Array.from({ length: n }, (_, k) => ({
          name: 'intake.submission.received.v1',
          data: submissionEnvelope(from + k),
          opts: { jobId: `intake-${from + k}`, attempts: 2, backoff: { type: 'fixed', delay: 50 } },
        })),
      );
    await add(0, 5);
    await waitFor('the first jobs handled', async () => (await countEffects(db.dataSource)) === 5);

    await proxy.cut();
    await add(5, 20);
    // far longer than the two attempts 50 ms apart that the jobs have: without the hold-back they fail for good
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await queue.getFailedCount()).toBe(0);
    expect(await queue.getCompletedCount()).toBe(5);
    expect(await countEffects(db.dataSource)).toBe(5);
    const warned = lines.filter((l) => l.startsWith('warn '));
    expect(warned).toHaveLength(1); // once for the outage, not once per job or per try
    expect(warned[0]).toMatch(
      /^warn inbox scoring-inbox: the database does not answer \(.+\); its jobs wait and are tried again, every 200 ms at most$/,
    );

    await proxy.restore();
    await waitFor('every job handled', async () => (await queue.getCompletedCount()) === 25, 15_000);
    expect(await countEffects(db.dataSource)).toBe(25);
    expect(await queue.getFailedCount()).toBe(0);
    // each job was tried for real only once: the waits spent none of its attempts
    const jobs = await queue.getJobs(['completed']);
    expect(jobs.map((j) => j.attemptsMade).every((n) => n <= 1)).toBe(true);
    expect(lines.filter((l) => l.startsWith('log '))).toEqual([
      expect.stringMatching(/^log inbox scoring-inbox: the database answers again after \d+ s; its jobs go on$/),
    ]);
    expect(lines.filter((l) => l.startsWith('error '))).toEqual([]);
  });

  it('still fails a job for good when the handler, not the database, is at fault', async () => {
    const failing = new InboxWorker({
      service: 'scoring',
      queue: QUEUES.scoringInbox,
      dataSource: proxied,
      connection: TEST_REDIS_URL,
      prefix,
      handlers: [
        { ...scoringHandlers[0], handle: async () => Promise.reject(new Error('a bug in the handler')) },
        scoringHandlers[1],
      ],
      logger,
      databaseRetryMs: 200,
    });
    worker = failing;
    failing.start();
    await queue.add('intake.submission.received.v1', submissionEnvelope(1), {
      jobId: 'intake-1',
      attempts: 2,
      backoff: { type: 'fixed', delay: 50 },
    });
    await waitFor('the job failed for good', async () => (await queue.getFailedCount()) === 1);
    const [job] = await queue.getJobs(['failed']);
    expect(job.attemptsMade).toBe(2);
    expect(job.failedReason).toBe('a bug in the handler');
  });
});
