import { resolve } from 'node:path';
import { Queue, type Job } from 'bullmq';
import type { Command } from 'commander';
import { QUEUES, type QueueName } from '@jixiao/contracts';
import { failedJobSuffix, isBatch, redisOptions } from '@jixiao/messaging';
import { queuePrefixFor, redisUrlFor, withoutPassword } from '@jixiao/runtime';
import { CliError } from '../cli-error';
import { deploymentConfig } from '../input/deployment-config';
import { renderTable } from '../output/table';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
const QUEUE_NAMES = Object.values(QUEUES) as QueueName[];

/** Failed jobs are retried at most this many at a time (BullMQ moves them in batches of that size). */
const RETRY_BATCH = 1_000;

interface FailedOptions {
  queue?: string;
  limit: string;
  json?: boolean;
}

/**
 * `jixiao queues [failed|retry]`: the operator's view of the deployment's BullMQ queues, straight from Redis (the
 * deployment's REDIS_URL and QUEUE_PREFIX, or the private Redis and data directory of a running `npm start`): each
 * queue's jobs by state, the jobs that failed for good with why and which events they carry, and retrying them once
 * what made them fail is mended. Retrying an inbox job is safe: its consumer skips every event it already handled.
 */
export function register(program: Command): void {
  const queues = program
    .command('queues')
    .description(
      "the deployment's queues (Redis, as REDIS_URL and QUEUE_PREFIX say): jobs by state, and how long the next has waited",
    )
    .option('--json', 'print the counts as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withQueues(async (open) => {
        const counts: Record<string, Record<string, number>> = {};
        const oldest: Record<string, number | null> = {};
        for (const name of QUEUE_NAMES) {
          const queue = open(name);
          const raw = await queue.getJobCounts(...STATES);
          counts[name] = Object.fromEntries(STATES.map((s) => [s, raw[s] ?? 0]));
          // how long the job next in line has waited: a backlog that does not move shows here
          const [next] = await queue.getJobs(['waiting'], 0, 0, true);
          oldest[name] = next ? Math.max(0, Math.round((Date.now() - next.timestamp) / 1000)) : null;
        }
        if (opts.json) {
          const out = Object.fromEntries(
            QUEUE_NAMES.map((name) => [name, { ...counts[name], oldestWaitingSeconds: oldest[name] }]),
          );
          return void process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        }
        const rows = QUEUE_NAMES.map((name) => [
          name,
          ...STATES.map((s) => String(counts[name][s] ?? 0)),
          oldest[name] === null ? '—' : `${oldest[name]} s`,
        ]);
        const columns = [
          { header: 'queue' },
          ...STATES.map((s) => ({ header: s, align: 'right' as const })),
          { header: 'oldest waiting', align: 'right' as const },
        ];
        process.stdout.write(`${renderTable(columns, rows)}\n`);
        const failed = QUEUE_NAMES.filter((name) => (counts[name].failed ?? 0) > 0);
        if (failed.length > 0)
          process.stderr.write(
            `failed jobs: jixiao queues failed${failed.length === 1 ? ` --queue ${failed[0]}` : ''}\n`,
          );
      });
    });

  queues
    .command('failed')
    .description('the jobs that failed for good, newest first: when, after how many attempts, why, which events')
    .option('--queue <name>', `one queue (${QUEUE_NAMES.join(', ')})`)
    .option('--limit <n>', 'jobs per queue at most', '20')
    .option('--json', 'print the jobs as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      // --json is also the parent's option: commander hands it to the parent wherever it stands
      const opts = cmd.optsWithGlobals<FailedOptions>();
      const names = opts.queue ? [queueName(opts.queue)] : QUEUE_NAMES;
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new CliError(`--limit: expected a positive whole number, got ${opts.limit}`);
      await withQueues(async (open) => {
        const found: Array<{ queue: string; job: Job }> = [];
        for (const name of names)
          for (const job of await open(name).getFailed(0, limit - 1)) if (job) found.push({ queue: name, job });
        if (opts.json) {
          const out = found.map(({ queue, job }) => ({
            queue,
            id: job.id,
            name: job.name,
            failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
            attemptsMade: job.attemptsMade,
            attempts: job.opts.attempts ?? 1,
            reason: job.failedReason,
            events: eventsOf(job.data),
          }));
          return void process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        }
        if (found.length === 0) return void process.stdout.write('no failed jobs\n');
        for (const { queue, job } of found) process.stdout.write(describeFailed(queue, job));
        const queuesWithJobs = [...new Set(found.map((f) => f.queue))];
        process.stderr.write(
          `retry once the cause is mended: ${queuesWithJobs.map((q) => `jixiao queues retry ${q} <job id>… | --all`).join('; ')}\n`,
        );
      });
    });

  queues
    .command('retry')
    .description('move failed jobs of an inbox queue back to waiting (events already handled are skipped by the inbox)')
    .argument('<queue>', `an inbox queue (${QUEUE_NAMES.filter((q) => q !== QUEUES.scoringRescore).join(', ')})`)
    .argument('[jobIds...]', 'the failed jobs to retry')
    .option('--all', 'every failed job of the queue')
    .action(async (queueArg: string, jobIds: string[], opts: { all?: boolean }) => {
      const name = queueName(queueArg);
      if (name === QUEUES.scoringRescore)
        throw new CliError(
          're-scoring jobs belong to their run: resume the run instead (jixiao rescore resume <runId>), which retries its unfinished chunks',
        );
      if (Boolean(opts.all) === jobIds.length > 0)
        throw new CliError('name the failed jobs to retry, or give --all (not both)');
      await withQueues(async (open) => {
        const queue = open(name);
        if (opts.all) {
          const before = await queue.getFailedCount();
          if (before === 0) return void process.stdout.write(`${name}: no failed jobs\n`);
          await queue.retryJobs({ state: 'failed', count: RETRY_BATCH });
          const after = await queue.getFailedCount();
          process.stdout.write(`${name}: ${before - after} failed job(s) moved back to waiting\n`);
          return;
        }
        const problems: string[] = [];
        let retried = 0;
        for (const id of jobIds) {
          const job = await queue.getJob(id);
          if (!job) problems.push(`${id}: no such job in ${name}`);
          else if (!(await job.isFailed())) problems.push(`${id}: not failed (${await job.getState()})`);
          else {
            await job.retry('failed');
            retried += 1;
            process.stdout.write(`${name}: job ${id} moved back to waiting\n`);
          }
        }
        if (problems.length > 0)
          throw new CliError(`${problems.join('; ')}${retried ? ` (${retried} retried)` : ''}`, 1);
      });
    });
}

function queueName(s: string): QueueName {
  if ((QUEUE_NAMES as string[]).includes(s)) return s as QueueName;
  throw new CliError(`unknown queue ${s}: one of ${QUEUE_NAMES.join(', ')}`);
}

/** Opens the deployment's queues on demand, runs `work`, closes them. */
async function withQueues(work: (open: (name: QueueName) => Queue) => Promise<void>): Promise<void> {
  const config = deploymentConfig();
  const dataDir = resolve(config.DATA_DIR);
  const url = redisUrlFor({ url: config.REDIS_URL, dataDir });
  const prefix = queuePrefixFor(config, process.env, dataDir, false);
  const opened = new Map<QueueName, Queue>();
  const open = (name: QueueName) => {
    let queue = opened.get(name);
    if (!queue) {
      // fail at once when Redis does not answer, rather than wait for it as the services do
      queue = new Queue(name, {
        connection: { ...redisOptions(url, 'producer'), maxRetriesPerRequest: 1, retryStrategy: () => null },
        prefix,
        skipMetasUpdate: true, // a look writes nothing (BullMQ would note its version in each queue's meta key)
      });
      queue.on('error', () => undefined); // the failing command reports it
      opened.set(name, queue);
    }
    return queue;
  };
  try {
    await work(open);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      `Redis at ${withoutPassword(url)} (queue prefix ${prefix}): ${err instanceof Error ? err.message : String(err)}`,
      1,
    );
  } finally {
    await Promise.all([...opened.values()].map((q) => q.close().catch(() => undefined)));
  }
}

/** The event envelopes a job carries (one, or a relay's batch): id, name, correlation id. */
function eventsOf(data: unknown): Array<{ id: unknown; name: unknown; correlationId: unknown }> {
  const envelopes: unknown[] = isBatch(data) ? data.events : [data];
  return envelopes.map((e) => {
    const r = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
    return { id: r.id ?? null, name: r.name ?? null, correlationId: r.correlationId ?? null };
  });
}

function describeFailed(queue: string, job: Job): string {
  const at = job.finishedOn ? new Date(job.finishedOn).toISOString().replace('T', ' ').slice(0, 19) : '?';
  const lines = [
    `${queue}  job ${job.id} (${job.name})  failed ${at} UTC  after ${job.attemptsMade} of ${job.opts.attempts ?? 1} attempt(s)`,
    `  why: ${job.failedReason ?? '?'}`,
  ];
  const carried = failedJobSuffix(job.data);
  if (carried) lines.push(`  carried: ${carried.trim().replace(/^\[|\]$/g, '')}`);
  return `${lines.join('\n')}\n\n`;
}
