import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { EVENTS, QUEUES } from '@jixiao/contracts';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { defineHandler } from './inbox/handler-registry';
import { enqueueEvents } from './outbox/enqueue-events';
import { messagingMigrations } from './outbox/messaging.migration';
import { ServiceMessaging } from './service-messaging';
import { jobEvents } from './testing/job-events';
import { submission } from './testing/pipeline-fixture';
import { deletePrefix, TEST_REDIS_URL, testPrefix, waitFor } from './testing/test-redis';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const HOUR = 3_600_000;

describe.each(TEST_DIALECTS)('ServiceMessaging on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let prefix: string;

  beforeEach(async () => {
    prefix = testPrefix();
    db = await openTestDatabase(dialect, {
      name: 'svc',
      entities: [],
      migrations: [...messagingMigrations('intake'), ...messagingMigrations('scoring')],
    });
    ds = db.dataSource;
    await runMigrations(ds);
  });
  afterEach(async () => {
    await db?.close();
    await deletePrefix(prefix);
  });

  it('a consumer that emits in its handler passes the event on at once (nudged, never polled)', async () => {
    const scoring = new ServiceMessaging({
      service: 'scoring',
      dataSource: ds,
      redis: TEST_REDIS_URL,
      prefix,
      logger: quiet,
      relay: { pollIntervalMs: HOUR },
      inbox: {
        queue: QUEUES.scoringInbox,
        handlers: [
          defineHandler('intake.submission.received.v1', async (payload, { manager }) => {
            await enqueueEvents(manager, 'scoring', [
              {
                name: 'scoring.evaluation.scored.v1',
                payload: { ...EVENTS['scoring.evaluation.scored.v1'].example, evaluationId: payload.evaluationId },
              },
            ]);
          }),
          defineHandler('scoring.ruleset.activated.v1', async () => undefined),
        ],
      },
    });
    const intake = new ServiceMessaging({
      service: 'intake',
      dataSource: ds,
      redis: TEST_REDIS_URL,
      prefix,
      logger: quiet,
      relay: { pollIntervalMs: HOUR },
    });
    const review = new Queue(QUEUES.reviewInbox, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    await scoring.start();
    await intake.start();
    try {
      await withTransaction(ds, (m) =>
        enqueueEvents(m, 'intake', [{ name: 'intake.submission.received.v1', payload: submission(42) }]),
      );
      intake.nudge();
      await waitFor('the scored event in review-inbox', async () =>
        (await review.getJobs(['waiting'])).some((j) => j.name === 'scoring.evaluation.scored.v1'),
      );
      const jobs = await review.getJobs(['waiting']);
      const scored = jobs.find((j) => j.name === 'scoring.evaluation.scored.v1');
      expect(scored?.id).toBe('scoring-1');
      expect(jobEvents([scored!])[0]).toMatchObject({ producer: 'scoring', payload: { evaluationId: 'ev_42' } });
      // review-inbox also receives the submission itself (routing fans it out to scoring and review).
      expect(jobs.map((j) => j.id).sort()).toEqual(['intake-1', 'scoring-1']);
    } finally {
      await scoring.stop();
      await intake.stop();
      await review.close();
    }
  });

  it('refuses to construct when the handlers do not match the routing, before touching Redis', () => {
    expect(
      () =>
        new ServiceMessaging({
          service: 'review',
          dataSource: ds,
          redis: { host: '127.0.0.1', port: 1 },
          inbox: { queue: QUEUES.reviewInbox, handlers: [] },
        }),
    ).toThrow(
      /review inbox review-inbox: no handler for intake\.submission\.received\.v1 .*no handler for scoring\.evaluation\.scored\.v1/,
    );
  });

  it('prunes sent outbox rows and old inbox ids on its schedule, never an unsent row', async () => {
    const old = new Date(Date.now() - 40 * 24 * HOUR).toISOString();
    const recent = new Date().toISOString();
    const rows: [string, string | null][] = [
      [old, old], // sent long ago: pruned
      [old, null], // never sent: kept
      [recent, recent], // sent recently: kept
    ];
    for (const [occurred, sent] of rows)
      await ds.query(
        `INSERT INTO scoring_outbox (name, payload, occurred_at, sent_at) VALUES (${dialect === 'postgres' ? '$1, $2, $3, $4' : '?, ?, ?, ?'})`,
        ['x.v1', '{}', occurred, sent],
      );
    for (const [id, at] of [['old', old], ['new', recent]])
      await ds.query(
        `INSERT INTO scoring_inbox (event_id, event_name, processed_at) VALUES (${dialect === 'postgres' ? '$1, $2, $3' : '?, ?, ?'})`,
        [id, 'x.v1', at],
      );
    const scoring = new ServiceMessaging({
      service: 'scoring',
      dataSource: ds,
      redis: TEST_REDIS_URL,
      prefix,
      logger: quiet,
      relay: { pollIntervalMs: HOUR },
      prune: { everyMs: 50 },
      inbox: {
        queue: QUEUES.scoringInbox,
        handlers: [
          defineHandler('intake.submission.received.v1', async () => undefined),
          defineHandler('scoring.ruleset.activated.v1', async () => undefined),
        ],
      },
    });
    await scoring.start();
    try {
      await waitFor('the old rows pruned', async () => {
        const [o] = await ds.query('SELECT COUNT(*) AS n FROM scoring_outbox');
        const [i] = await ds.query('SELECT COUNT(*) AS n FROM scoring_inbox');
        return Number(o.n) === 2 && Number(i.n) === 1;
      });
      // the unsent row survived (the relay may have sent it since: it was not sent when pruning ran)
      const kept = await ds.query('SELECT occurred_at FROM scoring_outbox ORDER BY id');
      expect(kept.map((r: { occurred_at: string }) => r.occurred_at)).toEqual([old, recent]);
      expect((await ds.query('SELECT event_id FROM scoring_inbox'))[0].event_id).toBe('new');
    } finally {
      await scoring.stop();
    }
  });
});
