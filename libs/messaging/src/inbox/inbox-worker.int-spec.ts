import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { EVENTS, QUEUES, eventsRoutedTo, type EventEnvelopeBase, type EventName } from '@jixiao/contracts';
import { runMigrations } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import type { MessagingLogger } from '../logger';
import { messagingMigrations } from '../outbox/messaging.migration';
import { countEffects, effectsMigration, scoringHandlers, submissionEnvelope } from '../testing/pipeline-fixture';
import { TEST_REDIS_URL } from '../testing/test-redis';
import { defineHandler, type AnyHandlerDefinition, type HandlerContext } from './handler-registry';
import { InboxWorker, RetryNow } from './inbox-worker';

const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

const job = (i: number, id = `intake-${i}`) => ({ id, name: 'intake.submission.received.v1', data: submissionEnvelope(i) });

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
      migrations: [...messagingMigrations('scoring'), effectsMigration],
    });
    ds = db.dataSource;
    await runMigrations(ds);
  });
  afterEach(async () => db?.close());

  const worker = (handlers: AnyHandlerDefinition[], committed?: () => void, transactions = 8, batchTransactions?: number) =>
    new InboxWorker({
      service: 'scoring',
      queue: QUEUES.scoringInbox,
      dataSource: ds,
      connection: TEST_REDIS_URL,
      handlers,
      logger: quiet,
      onCommitted: committed,
      transactions,
      batchTransactions,
    });

  it('batchTransactions: a second group-commit transaction runs while one is in flight, or (by default) waits for it', async () => {
    if (dialect !== 'postgres') return; // SQLite runs transactions one after another anyway
    for (const [round, n] of [1, 2].entries()) {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const first = `ev_${round * 10}`;
      const w = worker(
        [
          defineHandler('intake.submission.received.v1', scoringHandlers[0].handle as never, async (items) => {
            if (items.some((i) => i.payload.evaluationId === first)) await gate;
            for (const { payload, context } of items) await scoringHandlers[0].handle(payload as never, context);
          }),
          scoringHandlers[1],
        ],
        undefined,
        8,
        n,
      );
      const held = w.process(job(round * 10));
      await new Promise((r) => setTimeout(r, 50)); // the first batch is in flight, waiting at the gate
      let secondDone = false;
      const second = w.process(job(round * 10 + 1)).then((r) => ((secondDone = true), r));
      await new Promise((r) => setTimeout(r, 300));
      expect(secondDone).toBe(n === 2);
      release();
      expect([(await held).duplicate, (await second).duplicate]).toEqual([false, false]);
    }
    expect(await countEffects(ds)).toBe(4);
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

  it('an event whose handler fails with RetryNow is run again at once, alone; another failure fails its job', async () => {
    const calls: string[] = [];
    const w = worker(
      batched(async (payload: { evaluationId?: string }, context: HandlerContext) => {
        calls.push(payload.evaluationId!);
        if (calls.filter((c) => c === payload.evaluationId).length === 1) {
          if (payload.evaluationId === 'ev_1') throw new RetryNow('what it read changed');
          if (payload.evaluationId === 'ev_2') throw new Error('broken');
        }
        await scoringHandlers[0].handle(payload as never, context);
      }),
      undefined,
      1,
    );
    const one = await Promise.allSettled([w.process(job(1))]);
    expect(one.map((o) => o.status)).toEqual(['fulfilled']);
    expect(calls).toEqual(['ev_1', 'ev_1']);
    const two = await Promise.allSettled([w.process(job(2))]);
    expect(two.map((o) => o.status)).toEqual(['rejected']);
    expect(calls).toEqual(['ev_1', 'ev_1', 'ev_2']);
    expect(await countEffects(ds)).toBe(1);
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

describe('inbox worker grouping by order keys (postgres)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase('postgres', {
      name: 'inboxkeys',
      entities: [],
      migrations: [...messagingMigrations('review')],
    });
    await runMigrations(db.dataSource);
  });
  afterEach(async () => db?.close());

  const envelope = (name: EventName, id: string, evaluationId: string) => ({
    id,
    name,
    data: {
      id,
      name,
      producer: name.split('.')[0],
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: null,
      payload: { ...EVENTS[name].example, evaluationId },
    } satisfies EventEnvelopeBase,
  });

  /** A review inbox whose submission and score handlers record each call's evaluation ids (`keyed`: with order keys). */
  const reviewWorker = (keyed: boolean, calls: string[][]) => {
    const label = (name: EventName, payload: unknown) =>
      `${name.split('.')[0]} ${(payload as { evaluationId: string }).evaluationId}`;
    const recording = (name: EventName) =>
      defineHandler(
        name,
        async (payload) => void calls.push([label(name, payload)]),
        async (items) => void calls.push(items.map((i) => label(name, i.payload))),
        keyed ? (payload) => [(payload as { evaluationId: string }).evaluationId] : undefined,
      );
    const handlers = eventsRoutedTo(QUEUES.reviewInbox).map((name) =>
      name === 'intake.submission.received.v1' || name === 'scoring.evaluation.scored.v1'
        ? recording(name)
        : defineHandler(name, async () => undefined),
    ) as AnyHandlerDefinition[];
    return new InboxWorker({
      service: 'review',
      queue: QUEUES.reviewInbox,
      dataSource: db.dataSource,
      connection: TEST_REDIS_URL,
      handlers,
      logger: quiet,
    });
  };

  // the first job goes alone (no timer); the nine behind it share the next transaction
  const jobs = [
    envelope('intake.submission.received.v1', 'i-0', 'ev_0'),
    ...['ev_1', 'ev_2', 'ev_3'].flatMap((ev) => [
      envelope('intake.submission.received.v1', `i-${ev}`, ev),
      envelope('scoring.evaluation.scored.v1', `s-${ev}`, ev === 'ev_2' ? 'ev_9' : ev),
    ]),
    envelope('scoring.evaluation.scored.v1', 's-early', 'ev_4'),
    envelope('intake.submission.received.v1', 'i-ev_4', 'ev_4'),
    envelope('intake.submission.received.v1', 'i-ev_5', 'ev_5'),
  ];

  it('with order keys, interleaved events of two names go to their handleBatch in one call each where keys allow', async () => {
    const calls: string[][] = [];
    const w = reviewWorker(true, calls);
    await Promise.all(jobs.map((j) => w.process(j)));
    expect(calls).toEqual([
      ['intake ev_0'],
      ['intake ev_1', 'intake ev_2', 'intake ev_3', 'intake ev_5'],
      ['scoring ev_1', 'scoring ev_9', 'scoring ev_3', 'scoring ev_4'],
      ['intake ev_4'], // came after ev_4's score: stays after it
    ]);
  });

  it('without them, only consecutive events of one name share a call', async () => {
    const calls: string[][] = [];
    const w = reviewWorker(false, calls);
    await Promise.all(jobs.map((j) => w.process(j)));
    expect(calls).toHaveLength(8); // ev_0 alone, then seven runs of the nine
    expect(calls.flat()).toEqual(jobs.map((j) => `${j.name.split('.')[0]} ${j.data.payload.evaluationId}`));
  });
});
