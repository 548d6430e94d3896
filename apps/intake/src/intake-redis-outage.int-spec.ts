import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { QUEUES, SubmissionReceivedV1 } from '@jixiao/contracts';
import { eventIds } from '@jixiao/messaging/testing/job-events';
import { OutageProxy, TEST_REDIS_URL, waitFor } from '@jixiao/messaging/testing/test-redis';
import { TEST_DIALECTS } from '@jixiao/persistence/testing/test-database';
import type { RunningSystem } from '@jixiao/runtime';
import { INTAKE_DATA_SOURCE } from './infrastructure/intake.tokens';
import { IntakeModule } from './intake.module';
import { bearer, boot, dropStorage, newStorage, type Storage } from '@jixiao/runtime/testing/service-under-test';

const submitter = { sub: 'u-huoqiu', role: 'submitter' as const, regions: ['341522'] };

describe.each(TEST_DIALECTS)('intake while Redis is away, on %s', (dialect) => {
  let storage: Storage;
  let system: RunningSystem;
  let ds: DataSource;
  let inbox: Queue;
  let isCut = false;
  const proxy = new OutageProxy({
    host: new URL(TEST_REDIS_URL).hostname,
    port: Number(new URL(TEST_REDIS_URL).port || 6379),
  });

  beforeAll(async () => {
    await proxy.start();
    storage = newStorage(dialect, 'intake');
    system = await boot([(ctx) => IntakeModule.forRoot(ctx)], storage, { REDIS_URL: proxy.url });
    ds = system.app.get(INTAKE_DATA_SOURCE, { strict: false });
    inbox = new Queue(QUEUES.scoringInbox, { connection: { url: TEST_REDIS_URL }, prefix: storage.prefix });
  });
  afterAll(async () => {
    if (isCut) await proxy.restore(); // a failed test may leave it cut: let the services close cleanly
    await inbox?.close();
    await system?.close();
    await proxy.cut();
    if (storage) await dropStorage(storage);
  });

  it('keeps accepting submissions; their events reach the queue once Redis is back', async () => {
    await proxy.cut();
    isCut = true;
    const statuses = await Promise.all(
      [1, 2, 3].map((i) =>
        fetch(`${system.url}/evaluations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...bearer(submitter) },
          body: JSON.stringify({ ...SubmissionReceivedV1.example.evaluation, projectName: `断线 ${i}` }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual([201, 201, 201]);
    const health = await fetch(`${system.url}/health`);
    expect(health.status).toBe(503);
    const ids: Array<{ id: unknown }> = await ds.query('SELECT id FROM intake_outbox ORDER BY id');
    expect(ids).toHaveLength(3);
    // says what is down, and that the database keeps the three events for the relay
    expect(await health.json()).toMatchObject({
      status: 'error',
      error: {
        intake: {
          status: 'down',
          database: { status: 'up' },
          outbox: { unsent: 3, oldestUnsentSeconds: expect.any(Number) },
          redis: { status: 'down', error: expect.any(String) },
        },
      },
    });

    await proxy.restore();
    isCut = false;
    await waitFor('all three events on scoring-inbox', async () => {
      const sent = eventIds(await inbox.getJobs(['waiting', 'active', 'completed']));
      return ids.every((r) => sent.includes(`intake-${r.id}`));
    });
    await waitFor('health back to ok', async () => (await fetch(`${system.url}/health`)).status === 200);
  });
});
