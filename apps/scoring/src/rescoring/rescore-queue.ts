import { Logger } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { createRedisConnection, DatabaseHoldBack } from '@jixiao/messaging';
import { markChunk, pendingChunks, unfinishedRuns, updateRun } from './run-store';
import type { RescoringService } from './rescoring.service';
import { withTransaction } from '@jixiao/persistence';

type PlanJob = { runId: string };
type ChunkJob = { runId: string; chunk: number };

const ATTEMPTS = 6;
const SUPERVISE_EVERY_MS = 3_000;

export interface RescoreQueueOptions {
  redisUrl: string;
  prefix: string;
  /** Chunks one process scores at once (scoring is CPU-bound: 1 per core it may use). */
  concurrency?: number;
  /** Evaluations per chunk of the runs this process creates (RESCORE_CHUNK_SIZE). */
  chunkSize?: number;
  /** While the database does not answer, the queue is held back this long between tries (default 5,000 ms). */
  databaseRetryMs?: number;
}

/**
 * The `scoring-rescore` queue: `plan` and `chunk` jobs of re-scoring runs, consumed by every scoring process (so
 * several processes, on one machine or many, share a run). Job ids are `<run>-plan-r<resumes>` and
 * `<run>-c<chunk>-r<resumes>`, and the database says which chunks are done, so:
 * - a worker killed mid-chunk: its transaction rolls back, BullMQ sees the job stalled and another worker takes it;
 * - a job delivered twice: the second finds its chunk done and writes nothing;
 * - Redis restarted and the queue lost: the supervisor (every few seconds, in every process) re-adds the jobs of
 *   unfinished chunks of running runs whenever the queue holds none — adding an existing job id is a no-op.
 * A chunk that keeps failing fails its run (with the error); resuming the run retries it. While the database does not
 * answer, the queue is held back instead (DatabaseHoldBack): a run outlives an outage of any length without failing.
 */
export class RescoreQueue {
  private readonly logger = new Logger('rescore-queue');
  private readonly producer: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private supervising = false;
  private readonly holdBack: DatabaseHoldBack;

  constructor(
    private readonly service: RescoringService,
    private readonly dataSource: DataSource,
    private readonly options: RescoreQueueOptions,
  ) {
    this.producer = createRedisConnection(options.redisUrl, 'producer', 'scoring-rescore-producer');
    this.producer.on('error', () => undefined);
    this.queue = new Queue(QUEUES.scoringRescore, {
      connection: this.producer,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: ATTEMPTS,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 3_600, count: 5_000 },
        removeOnFail: { age: 7 * 24 * 3_600 },
      },
    });
    this.queue.on('error', () => undefined);
    this.holdBack = new DatabaseHoldBack({
      label: `re-scoring queue ${QUEUES.scoringRescore}`,
      retryMs: options.databaseRetryMs ?? 5_000,
      logger: this.logger,
      rateLimit: (ms) => this.queue.rateLimit(ms),
    });
  }

  start(): void {
    if (this.worker) return;
    const connection = createRedisConnection(this.options.redisUrl, 'worker', 'scoring-rescore-worker');
    connection.on('error', () => undefined);
    this.worker = new Worker(QUEUES.scoringRescore, (job) => this.holdBack.run(() => this.process(job)), {
      connection,
      prefix: this.options.prefix,
      concurrency: this.options.concurrency ?? 1,
      // a killed worker's chunk is taken over within seconds, not the default half minute
      lockDuration: 15_000,
      stalledInterval: 5_000,
      maxStalledCount: 5,
    });
    this.worker.on('error', (err) => this.logger.warn(`worker: ${err.message}`));
    this.worker.on('failed', (job, err) => void this.onFailed(job, err));
    this.timer = setInterval(() => void this.supervise(), SUPERVISE_EVERY_MS);
    this.timer.unref();
    void this.supervise();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const worker = this.worker;
    this.worker = null;
    // a worker or queue closed before its connection is ready leaves a rejection nobody handles (quick restarts)
    await bounded(Promise.all([worker?.waitUntilReady(), this.queue.waitUntilReady()]), 5_000);
    while (this.supervising) await new Promise((r) => setTimeout(r, 20));
    await worker?.close().catch(() => undefined);
    await worker?.disconnect().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    this.producer.disconnect();
  }

  /** Stop taking jobs (the one in hand finishes) / take them again: for maintenance windows and tests. */
  async pauseWorker(): Promise<void> {
    await this.worker?.pause(true);
  }

  resumeWorker(): void {
    this.worker?.resume();
  }

  /** Evaluations per chunk of a run created here. */
  get chunkSize(): number {
    return this.options.chunkSize ?? 1_000;
  }

  async enqueuePlan(runId: string, resumes: number): Promise<void> {
    await this.queue.add('plan', { runId } satisfies PlanJob, { jobId: `${runId}-plan-r${resumes}` });
  }

  async enqueueChunks(runId: string, chunks: readonly number[], resumes: number): Promise<void> {
    for (let i = 0; i < chunks.length; i += 500) {
      await this.queue.addBulk(
        chunks.slice(i, i + 500).map((chunk) => ({
          name: 'chunk',
          data: { runId, chunk } satisfies ChunkJob,
          opts: { jobId: `${runId}-c${chunk}-r${resumes}` },
        })),
      );
    }
  }

  private async process(job: Job): Promise<unknown> {
    if (job.name === 'plan') {
      const { runId } = job.data as PlanJob;
      const chunks = await this.service.plan(runId);
      const resumes = Number(job.id?.split('-r').pop() ?? 0) || 0;
      if (chunks.length) await this.enqueueChunks(runId, chunks, resumes);
      return { chunks: chunks.length };
    }
    const { runId, chunk } = job.data as ChunkJob;
    return this.service.runChunk(runId, chunk);
  }

  private async onFailed(job: Job | undefined, err: Error): Promise<void> {
    if (!job || job.attemptsMade < (job.opts.attempts ?? ATTEMPTS)) return;
    const { runId, chunk } = job.data as ChunkJob;
    this.logger.error(`re-scoring run ${runId}: ${job.name} ${chunk ?? ''} failed for good: ${err.message}`);
    await withTransaction(this.dataSource, async (m) => {
      if (job.name === 'chunk') await markChunk(m, runId, chunk, { status: 'failed', error: err.message });
      await updateRun(m, runId, { status: 'failed', error: `${job.name}${job.name === 'chunk' ? ` ${chunk}` : ''}: ${err.message}` });
    }).catch((e: Error) => this.logger.error(`recording the failure of run ${runId}: ${e.message}`));
  }

  /**
   * Re-adds the jobs of unfinished runs when the queue holds none (lost with a Redis restart, or never added), and
   * completes a run whose chunks are all done.
   */
  private async supervise(): Promise<void> {
    if (this.supervising) return;
    this.supervising = true;
    try {
      const runs = await unfinishedRuns(this.dataSource.manager);
      if (!runs.length) return;
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      if (Object.values(counts).some((n) => n > 0)) return;
      for (const run of runs) {
        if (run.status === 'planning') {
          await this.enqueuePlan(run.id, run.resumes);
          continue;
        }
        const pending = await pendingChunks(this.dataSource.manager, run.id);
        // every chunk written, but the process that wrote the last one stopped before completing the run
        if (pending.length === 0) await this.service.completeIfDone(run.id);
        else await this.enqueueChunks(run.id, pending, run.resumes);
      }
    } catch (err) {
      this.logger.debug?.(`supervise: ${(err as Error).message}`);
    } finally {
      this.supervising = false;
    }
  }
}

async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
