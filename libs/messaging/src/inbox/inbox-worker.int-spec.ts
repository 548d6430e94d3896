import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { QUEUES, type EventEnvelopeBase } from '@jixiao/contracts';
import { runMigrations } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import type { MessagingLogger } from '../logger';
import { messagingMigration } from '../outbox/messaging.migration';
import { countEffects, effectsMigration, scoringHandlers, submission } from '../testing/pipeline-fixture';
import { TEST_REDIS_URL } from '../testing/test-redis';
import { defineHandler, type AnyHandlerDefinition, type HandlerContext } from './handler-registry';
import { InboxWorker } from './inbox-worker';

const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

const job = (i: number, id = `intake-${i}`) => ({
  id,
  name: 'intake.submission.received.v1',
  data: {
    id: `intake-${i}`,
    name: 'intake.submission.received.v1',
    producer: 'intake',
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: null,
    payload: submission(i),
  } satisfies EventEnvelopeBase,
});

/** The fixture's scoring handlers, the submission one offering handleBatch (a loop over the single handler). */
const batched = (handle: AnyHandlerDefinition['handle'] = scoringHandlers[0].handle): AnyHandlerDefinition[] => [
  defineHandler('intake.submission.received.v1', handle as never, async (items) => {
    for (const { payload, context } of items) await handle(payload as never, context);
  }),
  scoringHandlers[1],
];

describe.each(TEST_DIALECTS)('inbox worker group commit on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeEach(async () => {
    db = await openTestDatabase(dialect, {
      name: 'inboxbatch',
      entities: [],
      migrations: [messagingMigration('scoring'), effectsMigration],
    });
    ds = db.dataSource;
    await runMigrations(ds);
  });
  afterEach(async () => db?.close());

  const worker = (handlers: AnyHandlerDefinition[], committed?: () => void, transactions = 8) =>
    new InboxWorker({
      service: 'scoring',
      queue: QUEUES.scoringInbox,
      dataSource: ds,
      connection: TEST_REDIS_URL,
      handlers,
      logger: quiet,
      onCommitted: committed,
      transactions,
    });

  it('jobs arriving together share transactions; a job given twice (another job id) takes effect once', async () => {
    let commits = 0;
    const w = worker(batched(), () => (commits += 1));
    const jobs = [...Array.from({ length: 20 }, (_, i) => job(i)), job(3, 'intake-3-copy')];
    const results = await Promise.all(jobs.map((j) => w.process(j)));
    expect(results.filter((r) => r.duplicate).map((r) => r.eventId)).toEqual(['intake-3']);
    expect(await countEffects(ds)).toBe(20);
    expect(commits).toBeLessThan(20);
    // redelivered later: nothing changes
    expect((await Promise.all([w.process(job(1)), w.process(job(2))])).every((r) => r.duplicate)).toBe(true);
    expect(await countEffects(ds)).toBe(20);
  });

  it('a failing handler fails only its own job: the others of its batch are committed', async () => {
    let commits = 0;
    const w = worker(
      batched(async (payload: { evaluationId?: string }, context: HandlerContext) => {
        if (payload.evaluationId === 'ev_5') throw new Error('ev_5 cannot be handled');
        await scoringHandlers[0].handle(payload as never, context);
      }),
      () => (commits += 1),
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => w.process(job(i))));
    expect(outcomes.map((o) => o.status)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i === 5 ? 'rejected' : 'fulfilled')),
    );
    expect(await countEffects(ds)).toBe(9);
    expect(commits).toBeGreaterThan(0);
    const [row] = await ds.query(`SELECT COUNT(*) AS n FROM scoring_inbox WHERE event_id = 'intake-5'`);
    expect(Number(row.n)).toBe(0); // not recorded: BullMQ's retry will handle it
  });

  it('handlers without handleBatch get one transaction per event', async () => {
    let commits = 0;
    const w = worker(scoringHandlers, () => (commits += 1));
    await Promise.all(Array.from({ length: 6 }, (_, i) => w.process(job(i))));
    expect(commits).toBe(6);
    expect(await countEffects(ds)).toBe(6);
  });

  it('a batch handler receives consecutive events of its name, in order, once each', async () => {
    const seen: string[][] = [];
    const batchedHandler = defineHandler(
      'intake.submission.received.v1',
      async (payload, context) => {
        seen.push([payload.evaluationId]);
        await scoringHandlers[0].handle(payload as never, context);
      },
      async (items) => {
        seen.push(items.map((i) => i.payload.evaluationId));
        for (const { payload, context } of items) await scoringHandlers[0].handle(payload as never, context);
      },
    );
    const w = worker([batchedHandler, scoringHandlers[1]], undefined, 1);
    await Promise.all([job(0), job(1), job(2), job(1, 'again'), job(3)].map((j) => w.process(j)));
    expect(seen.flat()).toEqual(['ev_0', 'ev_1', 'ev_2', 'ev_3']);
    expect(seen.length).toBeLessThan(4);
    expect(await countEffects(ds)).toBe(4);
  });
});
