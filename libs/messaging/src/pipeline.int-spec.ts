import { once } from 'node:events';
import { createServer } from 'node:net';
import { Queue, QueueEvents, UnrecoverableError } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { EVENTS, QUEUES } from '@jixiao/contracts';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { InboxWorker } from './inbox/inbox-worker';
import type { MessagingLogger } from './logger';
import { enqueueEvents } from './outbox/enqueue-events';
import { messagingMigrations } from './outbox/messaging.migration';
import { OutboxRelay } from './outbox/outbox-relay';
import { BATCH_JOB_NAME, decompressPayload, JSON_TEXT, wireChars } from './wire/wire-envelope';
import { pruneInbox, pruneOutbox } from './prune';
import { countEffects, countUnsent, effectsMigration, scoringHandlers, submission } from './testing/pipeline-fixture';
import { eventIds, jobEvents } from './testing/job-events';
import { deletePrefix, OutageProxy, TEST_REDIS_URL, testPrefix, waitFor } from './testing/test-redis';

const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const redisPort = Number(new URL(TEST_REDIS_URL).port || 6379);

async function enqueueSubmissions(ds: DataSource, from: number, count: number) {
  return withTransaction(ds, (m) =>
    enqueueEvents(
      m,
      'intake',
      Array.from({ length: count }, (_, k) => ({
        name: 'intake.submission.received.v1' as const,
        payload: submission(from + k),
      })),
    ),
  );
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe.each(TEST_DIALECTS)('outbox → relay → inbox on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let prefix: string;
  const closers: Array<() => Promise<unknown>> = [];
  const connection = TEST_REDIS_URL;

  const relay = (extra: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) => {
    const r = new OutboxRelay({
      service: 'intake',
      dataSource: ds,
      connection,
      prefix,
      logger: quiet,
      pollIntervalMs: 50,
      ...extra,
    });
    closers.push(() => r.stop());
    return r;
  };
  const inbox = (logging: { logger?: MessagingLogger; logEvents?: boolean } = {}) => {
    const w = new InboxWorker({
      service: 'scoring',
      queue: QUEUES.scoringInbox,
      dataSource: ds,
      connection,
      prefix,
      handlers: scoringHandlers,
      logger: quiet,
      ...logging,
    });
    closers.push(() => w.close());
    return w;
  };
  /** A started scoring inbox, its queue, and the queue's events (to await a job's outcome). */
  const runningInbox = async (logging: Parameters<typeof inbox>[0] = {}) => {
    inbox(logging).start();
    const scoring = queue(QUEUES.scoringInbox);
    const events = new QueueEvents(QUEUES.scoringInbox, { connection: { host: '127.0.0.1', port: redisPort }, prefix });
    closers.push(() => events.close());
    await events.waitUntilReady();
    return { scoring, events };
  };
  const queue = (name: string) => {
    const q = new Queue(name, { connection: { host: '127.0.0.1', port: redisPort }, prefix });
    closers.push(() => q.close());
    return q;
  };

  beforeEach(async () => {
    prefix = testPrefix();
    db = await openTestDatabase(dialect, {
      name: 'pipeline',
      entities: [],
      migrations: [...messagingMigrations('intake'), ...messagingMigrations('scoring'), effectsMigration],
    });
    ds = db.dataSource;
    await runMigrations(ds);
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await db?.close();
    await deletePrefix(prefix);
  });

  it('delivers each event once in effect, even when jobs are re-added by hand', async () => {
    const r = relay();
    const w = inbox();
    w.start();
    r.start();
    expect(await enqueueSubmissions(ds, 0, 5)).toBe(5);
    r.nudge();
    await waitFor('5 effects', async () => (await countEffects(ds)) === 5);
    await waitFor('outbox sent', async () => (await countUnsent(ds, 'intake_outbox')) === 0);

    // Routing fans the same events out to review's inbox too, under the same ids (in one job, or one job each).
    const ids = ['intake-1', 'intake-2', 'intake-3', 'intake-4', 'intake-5'];
    const review = queue(QUEUES.reviewInbox);
    expect(eventIds(await review.getJobs(['waiting']))).toEqual(ids);

    // Redelivery: the completed job removed and added again with its id, and a copy under another id.
    const scoring = queue(QUEUES.scoringInbox);
    const events = new QueueEvents(QUEUES.scoringInbox, { connection: { host: '127.0.0.1', port: redisPort }, prefix });
    closers.push(() => events.close());
    await events.waitUntilReady();
    const originals = await scoring.getJobs(['completed']);
    expect(eventIds(originals)).toEqual(ids);
    const again = [];
    for (const job of originals) {
      await job.remove();
      again.push(await scoring.add(job.name, job.data, { jobId: job.id }));
      again.push(await scoring.add(job.name, job.data, { jobId: `${job.id}-copy` }));
    }
    const results = await Promise.all(again.map((j) => j.waitUntilFinished(events)));
    expect(results.every((r) => r.duplicate === true)).toBe(true);
    expect(await countEffects(ds)).toBe(5);
    const [inboxRows] = await ds.query('SELECT COUNT(*) AS n FROM scoring_inbox');
    expect(Number(inboxRows.n)).toBe(5);
  });

  it('prunes sent outbox rows and old inbox ids, never unsent rows', async () => {
    const r = relay();
    await enqueueSubmissions(ds, 0, 3);
    expect(await r.relayOnce()).toBe(3);
    await enqueueSubmissions(ds, 3, 2);
    const w = inbox();
    for (const job of await queue(QUEUES.scoringInbox).getJobs(['waiting'])) await w.process(job);
    const future = new Date(Date.now() + 60_000).toISOString();
    const past = '2000-01-01T00:00:00.000Z';
    expect(await pruneOutbox(ds, 'intake', past)).toBe(0);
    expect(await pruneOutbox(ds, 'intake', future)).toBe(3);
    expect(await countUnsent(ds, 'intake_outbox')).toBe(2);
    expect(await pruneInbox(ds, 'scoring', future)).toBe(3);
  });

  it('an event written with a dedupe key twice is enqueued once; a rolled-back one never', async () => {
    const activated = {
      name: 'scoring.ruleset.activated.v1' as const,
      payload: EVENTS['scoring.ruleset.activated.v1'].example,
    };
    const first = await withTransaction(ds, (m) =>
      enqueueEvents(m, 'intake', [{ ...activated, dedupeKey: 'run-1:ev_1' }]),
    );
    const second = await withTransaction(ds, (m) =>
      enqueueEvents(m, 'intake', [{ ...activated, dedupeKey: 'run-1:ev_1' }]),
    );
    expect([first, second]).toEqual([1, 0]);
    await expect(
      withTransaction(ds, async (m) => {
        await enqueueEvents(m, 'intake', [activated]);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const r = relay();
    expect(await r.relayOnce()).toBe(1);
    expect(await r.relayOnce()).toBe(0);
  });

  it('a hand-corrupted outbox row does not hold back the events behind it: its consumer refuses it alone, naming it', async () => {
    await enqueueSubmissions(ds, 0, 3);
    await ds.query(`UPDATE intake_outbox SET payload = '{not json' WHERE id = 2`);
    expect(await relay().relayOnce()).toBe(3); // sent as it is: the relay does not parse payloads
    const jobs = await queue(QUEUES.scoringInbox).getJobs(['waiting']);
    expect(eventIds(jobs)).toEqual(['intake-1', 'intake-2', 'intake-3']);
    expect(jobs).toHaveLength(1);
    const err = await inbox()
      .process(jobs[0])
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnrecoverableError); // no retries: the job fails for good and stays in the dashboard
    expect((err as Error).message).toMatch(/1 of 3 events refused: event intake-2: payload is not JSON/);
    const effects = await ds.query(`SELECT event_id FROM test_effects ORDER BY event_id`);
    expect(effects.map((e: { event_id: string }) => e.event_id)).toEqual(['intake-1', 'intake-3']);
  });

  it('events routed to no queue are marked sent without being decoded or sent', async () => {
    await enqueueSubmissions(ds, 0, 3);
    await ds.query(`UPDATE intake_outbox SET payload = '{not json' WHERE id = 2`);
    const errors: string[] = [];
    const r = relay({
      logger: { ...quiet, error: (m) => errors.push(m) },
      routing: { 'intake.submission.received.v1': [] },
    });
    expect(await r.relayOnce()).toBe(3);
    expect(errors).toEqual([]); // the bad row was never parsed
    expect((await queue(QUEUES.scoringInbox).getJobCounts('waiting')).waiting).toBe(0);
    const [row] = await ds.query(`SELECT COUNT(*) AS n FROM intake_outbox WHERE sent_at IS NULL`);
    expect(Number(row.n)).toBe(0);
  });

  it('refuses to enqueue a payload that breaks its contract, naming the field', async () => {
    await expect(
      withTransaction(ds, (m) =>
        enqueueEvents(m, 'intake', [
          {
            name: 'review.evaluation.returned.v1',
            payload: { ...EVENTS['review.evaluation.returned.v1'].example, reason: '' },
          },
        ]),
      ),
    ).rejects.toThrow(/review\.evaluation\.returned\.v1.*reason/);
  });

  it('a job whose payload breaks the contract fails at once, without retries or effect; the log names its event and correlation id', async () => {
    const errors: string[] = [];
    const { scoring, events } = await runningInbox({ logger: { ...quiet, error: (m) => errors.push(m) } });
    const bad = { ...submission(1), region: 'Hebei' };
    const job = await scoring.add(
      'intake.submission.received.v1',
      {
        id: 'intake-999',
        name: 'intake.submission.received.v1',
        producer: 'intake',
        occurredAt: '2024-03-01T08:00:00.000Z',
        correlationId: 'req-7f3a',
        payload: bad,
      },
      { attempts: 5 },
    );
    await expect(job.waitUntilFinished(events)).rejects.toThrow(/region/);
    const failed = await scoring.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(await countEffects(ds)).toBe(0);
    await waitFor('the failure logged', () => errors.length > 0);
    expect(errors[0]).toMatch(/^inbox scoring-inbox: job .* failed: .*region.* \[events intake-999; correlation ids req-7f3a\]$/);
  });

  it('at debug level (logEvents), each event handled is logged with its correlation id; a redelivery as seen before', async () => {
    const debug: string[] = [];
    const { scoring, events } = await runningInbox({ logger: { ...quiet, debug: (m) => debug.push(m) }, logEvents: true });
    const envelope = (id: string, correlationId: string | null) => ({
      id,
      name: 'intake.submission.received.v1',
      producer: 'intake',
      occurredAt: '2024-03-01T08:00:00.000Z',
      correlationId,
      payload: submission(Number(id.split('-')[1])),
    });
    for (const [jobId, data] of [
      ['a', envelope('intake-1', 'req-1')],
      ['b', envelope('intake-2', null)],
      ['c', envelope('intake-1', 'req-1')], // the same event again, under another job id
    ] as const)
      await (await scoring.add(data.name, data, { jobId })).waitUntilFinished(events);
    expect(debug).toEqual([
      'inbox scoring-inbox: intake.submission.received.v1 intake-1 handled (correlation id req-1)',
      'inbox scoring-inbox: intake.submission.received.v1 intake-2 handled',
      'inbox scoring-inbox: intake.submission.received.v1 intake-1 seen before, skipped (correlation id req-1)',
    ]);
  });

  it('a payload over the compression threshold travels gzip-compressed and arrives as it was sent', async () => {
    await enqueueSubmissions(ds, 0, 3);
    const r = relay({ compressFrom: 100 }); // a submission's payload is a few hundred characters
    expect(await r.relayOnce()).toBe(3);
    const scoring = queue(QUEUES.scoringInbox);
    const jobs = await scoring.getJobs(['waiting']);
    expect(jobs).toHaveLength(3);
    for (const job of jobs) {
      expect(job.data).toMatchObject({
        name: 'intake.submission.received.v1',
        producer: 'intake',
        payloadEncoding: 'gzip+base64',
      });
      expect(typeof job.data.payload).toBe('string');
    }
    const [stored] = await ds.query(`SELECT payload FROM intake_outbox WHERE id = 1`);
    const w = inbox();
    await w.process(jobs.find((j) => j.id === 'intake-1')!);
    expect(await countEffects(ds)).toBe(1);
    // what the handler got is the payload as stored, decoded
    const [effect] = await ds.query(`SELECT event_id, evaluation_id FROM test_effects`);
    expect(effect).toEqual({ event_id: 'intake-1', evaluation_id: JSON.parse(stored.payload).evaluationId });
    w.start();
    await waitFor('3 effects', async () => (await countEffects(ds)) === 3);
  });

  it('a payload its producer compressed is stored compressed, sent on as it is, and handled as it was written', async () => {
    const payloads = [submission(0), submission(1)];
    await withTransaction(ds, (m) =>
      enqueueEvents(
        m,
        'intake',
        payloads.map((payload) => ({ name: 'intake.submission.received.v1' as const, payload })),
        { compressFrom: 100 }, // a submission's payload is a few hundred characters
      ),
    );
    const rows = await ds.query(`SELECT payload, payload_encoding FROM intake_outbox ORDER BY id`);
    expect(rows.map((r: { payload_encoding: string }) => r.payload_encoding)).toEqual(['gzip+base64', 'gzip+base64']);
    for (const [i, row] of rows.entries())
      expect(JSON.parse(await decompressPayload(row.payload))).toEqual(EVENTS['intake.submission.received.v1'].schema.parse(payloads[i]));
    // the relay's own threshold is not reached: it sends the stored payload on, neither decoded nor compressed again
    const r = relay();
    expect(await r.relayOnce()).toBe(2);
    const jobs = await queue(QUEUES.scoringInbox).getJobs(['waiting']);
    const sent = jobs.flatMap((j) => ('events' in j.data ? j.data.events : [j.data]));
    expect(sent.map((e: { payloadEncoding: string; payload: string }) => [e.payloadEncoding, e.payload]).sort()).toEqual(
      rows.map((row: { payload: string }) => ['gzip+base64', row.payload]).sort(),
    );
    inbox().start();
    await waitFor('2 effects', async () => (await countEffects(ds)) === 2);
    const effects = await ds.query(`SELECT evaluation_id FROM test_effects ORDER BY evaluation_id`);
    expect(effects.map((e: { evaluation_id: string }) => e.evaluation_id)).toEqual(payloads.map((p) => p.evaluationId).sort());
  });

  it('an outbox row with an encoding the relay does not know is marked sent but not delivered, and named', async () => {
    await enqueueSubmissions(ds, 0, 2);
    await ds.query(`UPDATE intake_outbox SET payload_encoding = 'br' WHERE id = 1`);
    const errors: string[] = [];
    const r = relay({ logger: { ...quiet, error: (m: string) => errors.push(m) } });
    expect(await r.relayOnce()).toBe(2);
    expect(errors.join('\n')).toMatch(/outbox id 1\) has an unknown payload_encoding "br"; not delivered/);
    const jobs = await queue(QUEUES.scoringInbox).getJobs(['waiting']);
    expect(jobs.map((j) => j.id)).toEqual(['intake-2']);
  });

  it('a job whose encoded payload cannot be decoded fails at once, naming why', async () => {
    const { scoring, events } = await runningInbox();
    const meta = {
      name: 'intake.submission.received.v1',
      producer: 'intake',
      occurredAt: '2024-03-01T08:00:00.000Z',
      correlationId: null,
    };
    const corrupt = await scoring.add(
      meta.name,
      { ...meta, id: 'intake-998', payloadEncoding: 'gzip+base64', payload: 'bm90IGd6aXA=' },
      { attempts: 5 },
    );
    await expect(corrupt.waitUntilFinished(events)).rejects.toThrow(/not gzip\+base64/);
    const unknown = await scoring.add(
      meta.name,
      { ...meta, id: 'intake-999', payloadEncoding: 'br', payload: 'x' },
      { attempts: 5 },
    );
    await expect(unknown.waitUntilFinished(events)).rejects.toThrow(/unknown payloadEncoding "br"/);
    expect((await scoring.getJob(corrupt.id!))?.attemptsMade).toBe(1);
    expect((await scoring.getJob(unknown.id!))?.attemptsMade).toBe(1);
    expect(await countEffects(ds)).toBe(0);
  });

  it("a pass's events share one job per queue, up to eventsPerJob; one left alone is its own event's job", async () => {
    await enqueueSubmissions(ds, 0, 5);
    expect(await relay({ eventsPerJob: 2 }).relayOnce()).toBe(5);
    const first = (j: { data: unknown }) => Number(jobEvents([j])[0].id.split('-')[1]);
    const jobs = (await queue(QUEUES.scoringInbox).getJobs(['waiting'])).sort((a, b) => first(a) - first(b));
    expect(jobs.map((j) => jobEvents([j]).map((e) => e.id))).toEqual([
      ['intake-1', 'intake-2'],
      ['intake-3', 'intake-4'],
      ['intake-5'],
    ]);
    expect(jobs.map((j) => j.name)).toEqual([BATCH_JOB_NAME, BATCH_JOB_NAME, 'intake.submission.received.v1']);
    expect(jobs[2].id).toBe('intake-5');
    expect(jobs[2].data).toMatchObject({ id: 'intake-5', payloadEncoding: JSON_TEXT, payload: expect.any(String) });
    expect(jobs[0].id).toMatch(/^intake-1\+2-[0-9a-f]{16}$/);
    const w = inbox();
    const result = await w.process(jobs[0]);
    expect(result.events?.map((e) => [e.eventId, e.duplicate])).toEqual([
      ['intake-1', false],
      ['intake-2', false],
    ]);
    expect((await w.process(jobs[0])).duplicate).toBe(true);
    expect(await countEffects(ds)).toBe(2);
  });

  it("a batch job's data stays within batchMaxChars: an event that would take it further starts the next job", async () => {
    await enqueueSubmissions(ds, 0, 7);
    const sizes = (await ds.query(`SELECT payload FROM intake_outbox`)).map((r: { payload: string }) => r.payload.length);
    const p = Math.max(...sizes);
    // room for two events with their envelopes in a job (as the relay reckons them), not three
    const max = 2 * wireChars(p) + Math.floor(p / 2);
    expect(await relay({ batchMaxChars: max }).relayOnce()).toBe(7);
    const first = (j: { data: unknown }) => Number(jobEvents([j])[0].id.split('-')[1]);
    const jobs = (await queue(QUEUES.scoringInbox).getJobs(['waiting'])).sort((a, b) => first(a) - first(b));
    expect(jobs.map((j) => jobEvents([j]).map((e) => e.id))).toEqual([
      ['intake-1', 'intake-2'],
      ['intake-3', 'intake-4'],
      ['intake-5', 'intake-6'],
      ['intake-7'],
    ]);
    for (const job of jobs) expect(JSON.stringify(job.data).length).toBeLessThanOrEqual(max);
    const w = inbox();
    for (const job of jobs) await w.process(job);
    expect(await countEffects(ds)).toBe(7);
  });

  it('a batch with an event that breaks the contract: the others take effect, the job fails at once naming it', async () => {
    const { scoring, events } = await runningInbox();
    const envelope = (n: number, payload: unknown) => ({
      id: `intake-${n}`,
      name: 'intake.submission.received.v1',
      producer: 'intake',
      occurredAt: '2024-03-01T08:00:00.000Z',
      correlationId: null,
      payload,
    });
    const job = await scoring.add(
      BATCH_JOB_NAME,
      {
        events: [
          envelope(1, submission(1)),
          envelope(2, { ...submission(2), region: 'Hebei' }),
          envelope(3, submission(3)),
        ],
      },
      { attempts: 5 },
    );
    await expect(job.waitUntilFinished(events)).rejects.toThrow(/1 of 3 events refused: .*intake-2.*region/);
    expect((await scoring.getJob(job.id!))?.attemptsMade).toBe(1);
    const rows: Array<{ event_id: string }> = await ds.query('SELECT event_id FROM test_effects ORDER BY event_id');
    expect(rows.map((r) => r.event_id)).toEqual(['intake-1', 'intake-3']);
  });

  it('keeps events while the relay cannot reach Redis, and delivers them from a relay that can', async () => {
    await enqueueSubmissions(ds, 0, 4);
    const unreachable = relay({ connection: { host: '127.0.0.1', port: await closedPort(), connectTimeout: 500 } });
    await expect(unreachable.relayOnce()).rejects.toThrow();
    await expect(unreachable.relayOnce()).rejects.toThrow();
    expect(await countUnsent(ds, 'intake_outbox')).toBe(4);
    const w = inbox();
    w.start();
    const r = relay();
    r.start();
    await waitFor('4 effects', async () => (await countEffects(ds)) === 4);
    // Marking sent commits after publishing, possibly after the consumer already ran.
    await waitFor('outbox sent', async () => (await countUnsent(ds, 'intake_outbox')) === 0);
  });

  it('rides out a Redis outage: nothing lost, nothing doubled', async () => {
    const proxy = new OutageProxy({ host: '127.0.0.1', port: redisPort });
    await proxy.start();
    closers.push(() => proxy.cut());
    const w = inbox();
    w.start();
    const r = relay({ connection: proxy.url });
    r.start();
    await enqueueSubmissions(ds, 0, 3);
    r.nudge();
    await waitFor('first 3 effects', async () => (await countEffects(ds)) === 3);

    await proxy.cut();
    await enqueueSubmissions(ds, 3, 4);
    r.nudge();
    await once(r, 'failure');
    await once(r, 'failure');
    expect(await countUnsent(ds, 'intake_outbox')).toBe(4);
    expect(await countEffects(ds)).toBe(3);

    await enqueueSubmissions(ds, 7, 2);
    await proxy.restore();
    await waitFor('all 9 effects after Redis is back', async () => (await countEffects(ds)) === 9);
    const rows: Array<{ evaluation_id: string }> = await ds.query(
      'SELECT evaluation_id FROM test_effects ORDER BY evaluation_id',
    );
    expect(rows.map((x) => x.evaluation_id)).toEqual(Array.from({ length: 9 }, (_, i) => `ev_${i}`).sort());
    await waitFor('outbox sent', async () => (await countUnsent(ds, 'intake_outbox')) === 0);
    expect(await countEffects(ds)).toBe(9);
  });

  it.runIf(dialect === 'postgres')('two relays on one outbox send every event exactly once', async () => {
    await enqueueSubmissions(ds, 0, 600);
    const a = relay({ batchSize: 50 });
    const b = relay({ batchSize: 50 });
    a.start();
    b.start();
    await waitFor('outbox drained', async () => (await countUnsent(ds, 'intake_outbox')) === 0);
    await a.stop();
    await b.stop();
    expect(a.relayed + b.relayed).toBe(600);
    expect(a.relayed).toBeGreaterThan(0);
    expect(b.relayed).toBeGreaterThan(0);
    const sent = eventIds(await queue(QUEUES.scoringInbox).getJobs(['waiting']));
    expect(sent).toHaveLength(600);
    expect(new Set(sent).size).toBe(600);
  });
});
