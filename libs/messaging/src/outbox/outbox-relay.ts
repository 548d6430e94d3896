import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { isEventName, ROUTING } from '@jixiao/contracts';
import { dialectOf, withTransaction } from '@jixiao/persistence';
import { consoleLogger, errorMessage, type MessagingLogger } from '../logger';
import { createRedisConnection, reconnectStrategy, type RedisConnectionInput } from '../redis/redis-connection';
import { eventIdOf, messagingTables } from '../tables';
import {
  BATCH_JOB_NAME,
  DEFAULT_COMPRESS_FROM,
  GZIP_BASE64,
  toWire,
  wireChars,
  type WireBatch,
  type WireEnvelope,
} from '../wire/wire-envelope';
import { outboxCommitsOf, type OutboxCommits } from './enqueue-events';

export interface OutboxRelayOptions {
  service: string;
  dataSource: DataSource;
  /** A producer connection is created from this (or pass `redis` to share one you own). */
  connection?: RedisConnectionInput;
  redis?: Redis;
  /** BullMQ key prefix (default `bull`); tests use their own. */
  prefix?: string;
  /** Rows per pass (default 500). */
  batchSize?: number;
  /** How often to look for rows nobody nudged about (default 250 ms). */
  pollIntervalMs?: number;
  /** Where each event goes (default: the contracts' routing table). */
  routing?: Readonly<Record<string, readonly string[]>>;
  jobOptions?: JobsOptions;
  /** Payloads of at least this many JSON characters travel gzip-compressed (default 64 KiB; Infinity: never). */
  compressFrom?: number;
  /**
   * Events of one pass for one queue share a job, up to this many (default 100; 1: a job per event) and up to
   * `batchMaxChars` of JSON; a compressed payload always travels alone.
   */
  eventsPerJob?: number;
  /** A batch job's data stays within about this many JSON characters (default `BATCH_MAX_CHARS`). */
  batchMaxChars?: number;
  logger?: MessagingLogger;
}

/** Jobs retry with backoff; completed ones are kept a while for the dashboard, failed ones a week. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
};

/**
 * A batch job's data stays within this many JSON characters (an event that would take it further starts the next
 * job). Its data travels as one string on every step — BullMQ's JSON, ioredis's command, the reply that hands the
 * job to a worker, decoded from UTF-8 — and a string of Chinese text takes two bytes a character: below this it stays
 * under V8's large-object size (128 KiB) and is made in the young generation like any other. Above it, each copy is
 * allocated in pages of its own, freshly faulted in: decoding a 200 KB job cost ~6 ns a byte against ~2 for 60 KB
 * (and ~0.4 through ICU, see installRedisTextDecoding). With 256 Ki characters the pipeline's review inbox jobs
 * averaged ~210 KB (27 events, many of them scored results with their explanations).
 */
export const BATCH_MAX_CHARS = 60 * 1024;

type RelayJob = { name: string; data: WireEnvelope | WireBatch; opts: JobsOptions };

/** The pg pool behind TypeORM's PostgreSQL driver (`driver.master`). */
interface PgPool {
  connect(): Promise<{
    query(sql: string): Promise<unknown>;
    release(err?: Error): void;
    on(event: 'error', listener: (err: Error) => void): unknown;
    off(event: 'error', listener: (err: Error) => void): unknown;
  }>;
}

/**
 * The claim walks the partial index of unsent rows in id order. Each pass leaves behind the index entries of the rows
 * it marked sent, dead until autovacuum comes by (a minute or more); an index scan marks them as it passes, so the
 * next pass skips them, but a bitmap scan (which the planner picks when its statistics are stale, as they are on a
 * busy outbox) visits every one of them and their heap pages on every pass: ~1 ms and ~400 pages per pass after a
 * few thousand events, instead of ~0.05 ms and ~8 pages.
 */
const CLAIM_PLAN = 'SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off;';

interface OutboxRow {
  id: number | string;
  name: string;
  payload: string;
  /** null: the payload's JSON text; `gzip+base64`: compressed by its producer (sent on as it is). */
  payload_encoding: string | null;
  occurred_at: string;
  correlation_id: string | null;
}

/**
 * Moves committed outbox rows to their BullMQ queues, oldest first, with the event id as job id, then marks them
 * sent. A failed pass (Redis away) leaves the rows unsent and is retried with backoff, so nothing is lost; a crash
 * between adding and marking re-adds the same job ids, which BullMQ ignores while the job exists and the consumer's
 * inbox absorbs afterwards. On PostgreSQL several relays share an outbox through `FOR UPDATE SKIP LOCKED`.
 *
 * Emits `relayed` (count) after each successful pass and `failure` (error) after each failed one.
 */
export class OutboxRelay extends EventEmitter {
  readonly service: string;
  private readonly table: string;
  private readonly redis: Redis;
  private readonly ownsRedis: boolean;
  private readonly queues = new Map<string, Queue>();
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly routing: Readonly<Record<string, readonly string[]>>;
  private readonly jobOptions: JobsOptions;
  private readonly compressFrom: number;
  private readonly eventsPerJob: number;
  private readonly logger: MessagingLogger;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private nudged = false;
  private readonly commits: OutboxCommits;
  /** The commit count when the last pass began (-1: none yet, every nudge counts). */
  private seenCommits = -1;
  /** Consecutive failed passes; 0 when the last pass succeeded. */
  failures = 0;
  relayed = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    super();
    this.service = options.service;
    this.table = messagingTables(options.service).outbox;
    if (!options.redis && !options.connection) throw new Error('OutboxRelay needs `connection` or `redis`');
    this.redis = options.redis ?? createRedisConnection(options.connection!, 'producer', `${options.service}-relay`);
    this.ownsRedis = !options.redis;
    // An unhandled 'error' would crash the process while Redis is down; failures surface through passes instead.
    if (this.ownsRedis) this.redis.on('error', () => undefined);
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.routing = options.routing ?? ROUTING;
    this.jobOptions = { ...DEFAULT_JOB_OPTIONS, ...options.jobOptions };
    this.compressFrom = options.compressFrom ?? DEFAULT_COMPRESS_FROM;
    this.eventsPerJob = Math.max(1, options.eventsPerJob ?? 100);
    this.logger = options.logger ?? consoleLogger;
    this.commits = outboxCommitsOf(options.dataSource, options.service);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Call after committing a transaction that enqueued events: relays now instead of at the next poll. A nudge
   * after a commit that wrote no event (known from enqueueEvents' commit count) is ignored: such passes would
   * find nothing (the periodic poll remains the safety net either way).
   */
  nudge(): void {
    const commits = this.commits;
    if (!commits.untracked && commits.committed === this.seenCommits) return;
    if (this.wake) this.wake();
    else this.nudged = true;
  }

  /** Finishes the pass in progress, then closes the queues (and the connection if the relay created it). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
    await this.closeQueues();
    if (this.ownsRedis) this.redis.disconnect();
  }

  /** One pass: relays up to `batchSize` unsent rows; returns how many. Throws when Redis or the database fails. */
  async relayOnce(): Promise<number> {
    // before the claim: a commit counted after this point is one the claim may not have seen
    this.seenCommits = this.commits.committed;
    if (dialectOf(this.options.dataSource) === 'postgres') return this.relayOncePostgres();
    // SQLite: one process owns the file. Reads and writes go through the transaction queue so they never run
    // inside another caller's open transaction (and never see its uncommitted events); publishing happens between.
    const ds = this.options.dataSource;
    const rows = await withTransaction(ds, (manager) => this.claim(manager));
    if (rows.length === 0) return 0;
    await this.publish(rows);
    await withTransaction(ds, (manager) => this.markSent(manager, rows));
    return rows.length;
  }

  /**
   * Two round trips per pass instead of four: `BEGIN` and a claim that already marks the rows sent go together
   * (simple-query protocol, so no bind parameters: the table, limit and time are inlined), then `COMMIT` once
   * they are published, or `ROLLBACK` if publishing failed, leaving them unsent. The row locks are held while
   * publishing, so a second relay skips these rows instead of sending them too.
   */
  private async relayOncePostgres(): Promise<number> {
    const pool = (this.options.dataSource.driver as unknown as { master: PgPool }).master;
    const client = await pool.connect();
    let open = false;
    let broken: Error | undefined;
    // the pool listens for errors of idle clients only: a connection lost while this one is checked out (publishing
    // to Redis between two statements) would otherwise be an unhandled 'error' event, which ends the process
    const lost = (err: Error) => void (broken ??= err);
    client.on('error', lost);
    try {
      open = true;
      const results = (await client.query(`BEGIN; ${CLAIM_PLAN} ${this.claimAndMarkSql()}`)) as unknown as Array<{
        rows: OutboxRow[];
      }>;
      const rows = results[results.length - 1].rows.sort((a, b) => Number(a.id) - Number(b.id));
      if (rows.length > 0) await this.publish(rows);
      await client.query('COMMIT');
      open = false;
      return rows.length;
    } catch (err) {
      if (open) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  private claimAndMarkSql(): string {
    const now = new Date().toISOString(); // [0-9TZ:.-] only: safe to inline
    return (
      `UPDATE ${this.table} SET sent_at = '${now}' WHERE id IN (SELECT id FROM ${this.table} WHERE sent_at IS NULL ` +
      `ORDER BY id LIMIT ${Number(this.batchSize)} FOR UPDATE SKIP LOCKED) ` +
      `RETURNING id, name, payload, payload_encoding, occurred_at, correlation_id`
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      let count: number;
      try {
        count = await this.relayOnce();
      } catch (err) {
        this.failures += 1;
        const delay = reconnectStrategy(this.failures);
        this.logger.warn(
          `outbox relay ${this.service}: pass failed (${errorMessage(err)}); retrying in ${Math.round(delay)} ms`,
        );
        this.emit('failure', err);
        await this.closeQueues(); // fresh queues after an outage: a queue whose connection never became ready stays stuck
        await this.sleep(delay, false);
        continue;
      }
      if (this.failures > 0)
        this.logger.log(`outbox relay ${this.service}: recovered after ${this.failures} failed passes`);
      this.failures = 0;
      if (count > 0) {
        this.relayed += count;
        this.emit('relayed', count);
      }
      if (count < this.batchSize) await this.sleep(this.pollIntervalMs, true);
    }
  }

  private async claim(manager: EntityManager): Promise<OutboxRow[]> {
    return manager.query(
      `SELECT id, name, payload, payload_encoding, occurred_at, correlation_id FROM ${this.table} WHERE sent_at IS NULL ORDER BY id LIMIT ${Number(this.batchSize)}`,
    );
  }

  private async publish(rows: OutboxRow[]): Promise<void> {
    await this.ensureConnected();
    const byQueue = new Map<string, Array<{ data: WireEnvelope; chars: number }>>();
    const encoded = await Promise.all(rows.map((row) => this.encode(row)));
    for (const [i, row] of rows.entries()) {
      const data = encoded[i];
      if (!data) continue;
      for (const queue of this.routing[row.name]) {
        const events = byQueue.get(queue) ?? [];
        events.push({ data, chars: row.payload.length });
        byQueue.set(queue, events);
      }
    }
    await Promise.all([...byQueue].map(([queue, events]) => this.queue(queue).addBulk(this.jobs(events))));
  }

  /**
   * A queue's events of this pass as jobs, in order: consecutive events share a job up to `eventsPerJob` of them
   * and `batchMaxChars` of JSON; a compressed one goes alone; a job of one event is the event's own job (named
   * after it, with its id as job id). A batch's job id is its first event's id, its size and a hash of all its ids:
   * the same rows re-sent after a crash get the same id (BullMQ ignores the copy while the job exists), and
   * different rows never share one (a shared id would make BullMQ drop the second job).
   */
  private jobs(events: Array<{ data: WireEnvelope; chars: number }>): RelayJob[] {
    const maxChars = this.options.batchMaxChars ?? BATCH_MAX_CHARS;
    const jobs: RelayJob[] = [];
    let batch: WireEnvelope[] = [];
    let chars = 0;
    const close = () => {
      if (batch.length === 1)
        jobs.push({ name: batch[0].name, data: batch[0], opts: { ...this.jobOptions, jobId: batch[0].id } });
      else if (batch.length > 1) {
        const ids = batch.map((e) => e.id);
        const digest = createHash('sha1').update(ids.join('\n')).digest('hex').slice(0, 16);
        jobs.push({
          name: BATCH_JOB_NAME,
          data: { events: batch },
          opts: { ...this.jobOptions, jobId: `${ids[0]}+${ids.length}-${digest}` },
        });
      }
      batch = [];
      chars = 0;
    };
    for (const { data, chars: payloadChars } of events) {
      if (data.payloadEncoding === GZIP_BASE64) {
        close();
        batch.push(data);
        close();
        continue;
      }
      const size = wireChars(payloadChars);
      if (batch.length > 0 && chars + size > maxChars) close();
      batch.push(data);
      chars += size;
      if (batch.length >= this.eventsPerJob) close();
    }
    close();
    return jobs;
  }

  /** A row's job data (a large payload compressed), or null when it cannot be delivered (logged). */
  private async encode(row: OutboxRow): Promise<WireEnvelope | null> {
    if (!this.routing[row.name]) {
      // Not in the routing table any more: keep it in the outbox (marked sent) for inspection rather than block.
      this.logger.error(
        `outbox relay ${this.service}: event ${row.name} (outbox id ${row.id}) has no route; not delivered`,
      );
      return null;
    }
    // routed to no queue (review's routing decisions, kept as a record): nothing to decode or send
    if (this.routing[row.name].length === 0) return null;
    if (!isEventName(row.name)) this.logger.warn(`outbox relay ${this.service}: ${row.name} is not a known contract`);
    const meta = {
      id: eventIdOf(this.service, row.id),
      name: row.name,
      producer: this.service,
      occurredAt: row.occurred_at,
      correlationId: row.correlation_id,
    };
    // compressed by its producer: sent on as it is (consumers decode it, and refuse it by event if they cannot)
    if (row.payload_encoding === GZIP_BASE64) return { ...meta, payloadEncoding: GZIP_BASE64, payload: row.payload };
    if (row.payload_encoding != null) {
      this.logger.error(
        `outbox relay ${this.service}: event ${row.name} (outbox id ${row.id}) has an unknown payload_encoding ` +
          `${JSON.stringify(row.payload_encoding)}; not delivered`,
      );
      return null;
    }
    // not parsed here: a payload that is not JSON (only a hand-edited row can hold one) is refused by each
    // consumer, which fails that event's job for good and names it (the dashboard keeps failed jobs a week)
    return toWire(meta, row.payload, this.compressFrom);
  }

  /** Waits for a first connection in progress; fails at once while Redis is away (the pass is retried later). */
  private async ensureConnected(): Promise<void> {
    const redis = this.redis;
    if (redis.status === 'ready') return;
    if (!['wait', 'connecting', 'connect'].includes(redis.status))
      throw new Error(`Redis is not connected (${redis.status})`);
    if (redis.status === 'wait') void redis.connect().catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        redis.off('error', onError);
      };
      const onReady = () => (cleanup(), resolve());
      const onError = (err: Error) => (cleanup(), reject(err));
      const timer = setTimeout(() => onError(new Error(`Redis is not connected (${redis.status})`)), 10_000);
      redis.once('ready', onReady);
      redis.once('error', onError);
    });
  }

  /** SQLite (PostgreSQL marks the rows in its claim). */
  private async markSent(manager: EntityManager, rows: OutboxRow[]): Promise<void> {
    const ids = rows.map((r) => Number(r.id));
    await manager.query(`UPDATE ${this.table} SET sent_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [
      new Date().toISOString(),
      ...ids,
    ]);
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.options.prefix });
      queue.on('error', (err) => this.logger.warn(`queue ${name}: ${errorMessage(err)}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async closeQueues(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
  }

  private sleep(ms: number, nudgeable: boolean): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (nudgeable && this.nudged) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // A nudge during a backoff is remembered for the next poll, not allowed to cut the backoff short.
      this.wake = nudgeable
        ? () => {
            this.nudged = false;
            done();
          }
        : () => {
            if (!this.running) done();
            else this.nudged = true;
          };
    });
  }
}
