import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { QUEUES } from '@jixiao/contracts';
import { deletePrefix, TEST_REDIS_URL, testPrefix, waitFor } from '@jixiao/messaging/testing/test-redis';
import { jixiao } from './__test__/run-cli';

const envelope = (id: string, correlationId: string | null = null) => ({
  id,
  name: 'scoring.evaluation.scored.v1',
  producer: 'scoring',
  occurredAt: '2026-12-01T08:00:00.000Z',
  correlationId,
  payload: '{}',
  payloadEncoding: 'json',
});

/** The review inbox of a deployment (its own prefix on the test Redis), with jobs that failed for good. */
describe('jixiao queues (the real Redis)', () => {
  const prefix = testPrefix();
  let review: Queue;

  beforeAll(async () => {
    review = new Queue(QUEUES.reviewInbox, { connection: { url: TEST_REDIS_URL }, prefix });
    await review.add('scoring-1', envelope('scoring-1', 'corr-1'), { jobId: 'scoring-1', attempts: 1 });
    await review.add(
      'batch',
      { events: [envelope('scoring-2'), envelope('scoring-3', 'corr-3')] },
      { jobId: 'scoring-2', attempts: 1 },
    );
    await review.add('scoring-4', envelope('scoring-4'), { jobId: 'scoring-4', attempts: 1 });
    // a consumer that refuses the first two for good and handles the third
    const worker = new Worker(
      QUEUES.reviewInbox,
      async (job) => {
        if (job.id !== 'scoring-4') throw new UnrecoverableError(`job ${job.id}: event refused: no handler`);
      },
      { connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null }, prefix },
    );
    await waitFor(
      'the jobs done',
      async () => (await review.getFailedCount()) === 2 && (await review.getCompletedCount()) === 1,
    );
    await worker.close();
  });
  afterAll(async () => {
    await review?.close();
    await deletePrefix(prefix);
  });
  afterEach(() => vi.unstubAllEnvs());

  const env = () => {
    vi.stubEnv('REDIS_URL', TEST_REDIS_URL);
    vi.stubEnv('QUEUE_PREFIX', prefix);
  };

  it('counts every queue’s jobs by state, and points at the failed ones', async () => {
    env();
    const r = await jixiao('queues');
    expect(r.code).toBe(0);
    const line = (q: string) =>
      r.stdout
        .split('\n')
        .find((l) => l.startsWith(q))
        ?.split(/\s+/);
    expect(r.stdout.split('\n')[0].split(/\s{2,}/)).toEqual([
      'queue',
      'waiting',
      'active',
      'delayed',
      'failed',
      'completed',
      'oldest waiting',
    ]);
    expect(line('review-inbox')).toEqual(['review-inbox', '0', '0', '0', '2', '1', '—']);
    expect(line('scoring-inbox')).toEqual(['scoring-inbox', '0', '0', '0', '0', '0', '—']);
    expect(r.stderr).toBe('failed jobs: jixiao queues failed --queue review-inbox\n');
    const json = await jixiao('queues', '--json');
    expect(JSON.parse(json.stdout)['review-inbox']).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 2,
      completed: 1,
      oldestWaitingSeconds: null,
    });
  });

  it('failed: each job with when, attempts, why and the events (and correlation ids) it carries', async () => {
    env();
    const r = await jixiao('queues', 'failed', '--queue', 'review-inbox');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^review-inbox {2}job scoring-1 \(scoring-1\) {2}failed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}after 1 of 1 attempt\(s\)\n {2}why: job scoring-1: event refused: no handler\n {2}carried: events scoring-1; correlation ids corr-1$/m,
    );
    expect(r.stdout).toContain('  carried: events scoring-2, scoring-3; correlation ids corr-3');
    expect(r.stderr).toBe('retry once the cause is mended: jixiao queues retry review-inbox <job id>… | --all\n');
    const json = JSON.parse((await jixiao('queues', 'failed', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(json.map((j) => [j.queue, j.id, j.attemptsMade, j.attempts])).toEqual(
      expect.arrayContaining([
        ['review-inbox', 'scoring-1', 1, 1],
        ['review-inbox', 'scoring-2', 1, 1],
      ]),
    );
    expect(json.find((j) => j.id === 'scoring-2')?.events).toEqual([
      { id: 'scoring-2', name: 'scoring.evaluation.scored.v1', correlationId: null },
      { id: 'scoring-3', name: 'scoring.evaluation.scored.v1', correlationId: 'corr-3' },
    ]);
  });

  it('refuses what it cannot do, saying why, and changes nothing', async () => {
    env();
    expect(await jixiao('queues', 'retry', 'no-such-queue', 'x')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown queue no-such-queue: one of scoring-inbox, review-inbox'),
    });
    expect((await jixiao('queues', 'retry', 'scoring-rescore', '--all')).stderr).toContain(
      'jixiao rescore resume <runId>',
    );
    expect((await jixiao('queues', 'retry', 'review-inbox')).stderr).toContain(
      'name the failed jobs to retry, or give --all',
    );
    const notFailed = await jixiao('queues', 'retry', 'review-inbox', 'scoring-4', 'nope');
    expect(notFailed.code).toBe(1);
    expect(notFailed.stderr).toBe('jixiao: scoring-4: not failed (completed); nope: no such job in review-inbox\n');
    expect(await review.getFailedCount()).toBe(2);
  });

  it('retry: a named job, then --all, back to waiting with its data', async () => {
    env();
    const one = await jixiao('queues', 'retry', 'review-inbox', 'scoring-1');
    expect(one).toMatchObject({ code: 0, stdout: 'review-inbox: job scoring-1 moved back to waiting\n' });
    expect(await review.getJobState('scoring-1')).toBe('waiting');
    const all = await jixiao('queues', 'retry', 'review-inbox', '--all');
    expect(all).toMatchObject({ code: 0, stdout: 'review-inbox: 1 failed job(s) moved back to waiting\n' });
    expect(await review.getFailedCount()).toBe(0);
    expect((await review.getJob('scoring-2'))?.data).toEqual({
      events: [envelope('scoring-2'), envelope('scoring-3', 'corr-3')],
    });
    expect(await jixiao('queues', 'failed')).toMatchObject({ code: 0, stdout: 'no failed jobs\n' });
    // the retried jobs wait now (no worker runs), and the table says how long the next in line has waited
    const counts = JSON.parse((await jixiao('queues', '--json')).stdout)['review-inbox'];
    expect(counts).toMatchObject({ waiting: 2, failed: 0 });
    expect(counts.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
    const row = (await jixiao('queues')).stdout.split('\n').find((l) => l.startsWith('review-inbox'));
    expect(row).toMatch(/ \d+ s$/);
  });

  it('says which Redis did not answer', async () => {
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1');
    vi.stubEnv('QUEUE_PREFIX', prefix);
    const r = await jixiao('queues');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^jixiao: Redis at redis:\/\/127\.0\.0\.1:1 \(queue prefix .+\): /);
  });
});
