import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import {
  EventEnvelopeSchema,
  InvalidEventPayloadError,
  parseEvent,
  type EventEnvelopeBase,
  type EventName,
  type InboxQueueName,
} from '@jixiao/contracts';
import { withTransaction } from '@jixiao/persistence';
import { consoleLogger, errorMessage, type MessagingLogger } from '../logger';
import { messagingMetrics } from '../metrics';
import { redisOptions, type RedisConnectionInput } from '../redis/redis-connection';
import {
  HandlerRegistry,
  type AnyHandlerDefinition,
  type HandlerContext,
  type HandlerDefinition,
} from './handler-registry';
import { fromWire, fromWireSync, isBatch, isCompressed } from '../wire/wire-envelope';
import { recordInbox } from './run-once';
import { handlerRuns } from './handler-runs';
import { DatabaseHoldBack } from './database-hold-back';

export interface InboxWorkerOptions {
  service: string;
  queue: InboxQueueName;
  dataSource: DataSource;
  connection: RedisConnectionInput;
  prefix?: string;
  handlers: HandlerRegistry | ReadonlyArray<AnyHandlerDefinition>;
  /** Jobs taken from the queue at once (default 1 on SQLite, whose writes are serialised anyway, else 64). */
  concurrency?: number;
  /** Events of handlers with `handleBatch` handled in one transaction at most (default 100; 1 turns batching off). */
  maxBatch?: number;
  /** Transactions in flight at once (default 8; SQLite runs them one after another anyway). */
  transactions?: number;
  /**
   * Group-commit transactions (handlers with `handleBatch`) in flight at once (default 1: events that arrive while
   * one is in flight wait for it and go in the next). More lets the next batch start while one commits, so events
   * wait less; only for handlers whose events never depend on one another's effects (scoring's: each submission is
   * scored on its own; a repeated one meets the first one's rows through the unique keys), since two batches may
   * then commit in either order.
   */
  batchTransactions?: number;
  logger?: MessagingLogger;
  /**
   * Log each event at debug level once its transaction commits (or it was found seen before): its name, id and
   * correlation id, so one request can be followed through every service's log (services turn it on at
   * LOG_LEVEL=debug or trace).
   */
  logEvents?: boolean;
  /** Called after each handler's transaction commits (ServiceMessaging nudges the service's relay here). */
  onCommitted?: () => void;
  /**
   * While the database does not answer, the queue's jobs go back to waiting and the worker tries again after this
   * long (default 5,000 ms), without spending a retry: an outage longer than the jobs' retries would otherwise leave
   * its events failed for good.
   */
  databaseRetryMs?: number;
}

/** A job's outcome: its event's id and whether it was seen before; for a batch, the job's id and each event's. */
export type InboxResult = { eventId: string; duplicate: boolean; events?: InboxResult[] };

interface Lane {
  queue: Pending[];
  active: number;
  max: number;
}

interface Pending {
  event: EventEnvelopeBase;
  definition: HandlerDefinition<EventName>;
  payload: unknown;
  resolve(result: InboxResult): void;
  reject(err: unknown): void;
}

/**
 * A batch transaction gives up on any lock wait longer than this and its events are handled one per transaction
 * instead. A batch takes the audit chain head at its first event and row locks at later ones, the reverse of the
 * order of a single-entity transaction (row, then head): being the first to give up keeps that from deadlocking
 * an HTTP request (PostgreSQL's deadlock check waits 1 s by default).
 */
const BATCH_LOCK_TIMEOUT_MS = 200;

/**
 * One BullMQ worker for the service's inbox queue. For each job: validate the envelope and the payload against
 * the contract (a bad one fails at once, without retries), then in one transaction record the event id in the
 * inbox and run its handler — a redelivered event finds its id and changes nothing.
 *
 * Group commit for handlers that offer `handleBatch`: their events wait while such a transaction is in flight and
 * are handled together in the next one (one inbox INSERT for all, then `handleBatch` for each run of events of one
 * name, in order). No timer: a lone job goes at once. If a shared transaction fails, its events are retried one per
 * transaction, so each job still gets its own outcome (and BullMQ retries only the one that fails).
 * Other handlers get one transaction per event, up to `transactions` at once: they may take row locks after
 * appending to the audit chain (a batch would hold the chain head across all its events), and each statement waits
 * a turn of a busy event loop, so parallel short transactions beat one long one for them.
 * The handler registry is checked against `routing.ts` in the constructor, so a missing handler stops start-up.
 */
export class InboxWorker {
  readonly registry: HandlerRegistry;
  private worker: Worker | null = null;
  private readonly logger: MessagingLogger;
  private readonly maxBatch: number;
  /** Events whose handler has `handleBatch` (a transaction at a time takes all that wait, by default), and the others. */
  private readonly batched: Lane = { queue: [], active: 0, max: 1 };
  private readonly single: Lane = { queue: [], active: 0, max: 8 };
  private readonly drains = new Set<Promise<void>>();
  /** While the database does not answer, the queue's jobs wait (see DatabaseHoldBack), through this handle. */
  private readonly holdBack: DatabaseHoldBack;
  private holdBackQueue: Queue | null = null;
  private readonly metrics = {
    events: messagingMetrics.inboxEvents(),
    transactions: messagingMetrics.inboxTransactions(),
    delay: messagingMetrics.inboxEventDelay(),
    failedJobs: messagingMetrics.inboxFailedJobs(),
  };

  constructor(private readonly options: InboxWorkerOptions) {
    this.registry =
      options.handlers instanceof HandlerRegistry
        ? options.handlers
        : new HandlerRegistry(options.service, options.handlers);
    this.registry.assertMatchesRouting(options.queue);
    this.logger = options.logger ?? consoleLogger;
    this.holdBack = new DatabaseHoldBack({
      label: `inbox ${options.queue}`,
      retryMs: options.databaseRetryMs ?? 5_000,
      logger: this.logger,
      rateLimit: (ms) => this.queueHandle().rateLimit(ms),
    });
    this.maxBatch = Math.max(1, options.maxBatch ?? 100);
    this.single.max = Math.max(1, options.transactions ?? 8);
    this.batched.max = Math.max(1, options.batchTransactions ?? 1);
  }

  start(): Worker {
    if (this.worker) return this.worker;
    // the series exist from the start at 0, so that an alert on their increase sees the first failure
    for (const final of ['true', 'false']) this.metrics.failedJobs.inc({ queue: this.options.queue, final }, 0);
    const sqlite = this.options.dataSource.options.type !== 'postgres';
    this.worker = new Worker(this.options.queue, (job) => this.holdBack.run(() => this.process(job)), {
      connection: redisOptions(this.options.connection, 'worker'),
      prefix: this.options.prefix,
      concurrency: this.options.concurrency ?? (sqlite ? 1 : 64),
    });
    this.worker.on('error', (err) => this.logger.warn(`inbox ${this.options.queue}: ${errorMessage(err)}`));
    this.worker.on('failed', (job, err) => {
      const final = err instanceof UnrecoverableError || (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1));
      this.metrics.failedJobs.inc({ queue: this.options.queue, final: String(final) });
      this.logger.error(
        `inbox ${this.options.queue}: job ${job?.id} (${job?.name}) failed: ${errorMessage(err)}${job ? failedJobSuffix(job.data) : ''}`,
      );
    });
    return this.worker;
  }

  /** Processes one job (exposed for tests and for draining a queue by hand); resolves once its transaction committed. */
  process(job: Pick<Job, 'id' | 'name' | 'data'>): Promise<InboxResult> {
    if (isBatch(job.data)) return this.processBatch(job, job.data.events);
    // a compressed payload is decoded first (off the event loop); any other goes straight on, in arrival order
    const label = `job ${job.id}`;
    if (!isCompressed(job.data)) return this.acceptWire(label, job.data);
    return fromWire(job.data).then(
      (data) => this.accept(label, data),
      (err) => Promise.reject(new UnrecoverableError(`${label}: ${errorMessage(err)}`)),
    );
  }

  /**
   * A batch's events go to their lanes in order, as if each were its own job (the inbox de-duplicates each). The job
   * succeeds when every event committed. If one cannot be retried (invalid, or a payload that cannot be decoded), the
   * others still commit and the job fails for good naming it; any other failure fails the job to be retried, and the
   * retry finds the events that did commit in the inbox and skips them.
   */
  private async processBatch(job: Pick<Job, 'id'>, events: unknown[]): Promise<InboxResult> {
    // refusals name the event (by its id when it has one)
    const labelOf = (data: unknown, i: number) => {
      const id = (data as { id?: unknown } | null)?.id;
      return `event ${typeof id === 'string' ? id : `#${i + 1}`}`;
    };
    // a relay sends a compressed payload alone; a batch holding one anyway is decoded first, then goes in order
    const decoded: unknown[] = events.some(isCompressed)
      ? await Promise.all(events.map((e) => (isCompressed(e) ? fromWire(e).catch((err: unknown) => new Undecodable(err)) : e)))
      : events;
    const outcomes = await Promise.allSettled(
      decoded.map((data, i) =>
        data instanceof Undecodable
          ? Promise.reject(new UnrecoverableError(`${labelOf(events[i], i)}: ${errorMessage(data.cause)}`))
          : this.acceptWire(labelOf(data, i), data),
      ),
    );
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    const retriable = failures.find((err) => !(err instanceof UnrecoverableError));
    if (retriable !== undefined) throw retriable;
    if (failures.length > 0)
      throw new UnrecoverableError(
        `job ${job.id}: ${failures.length} of ${events.length} events refused: ${failures.map(errorMessage).join('; ')}`,
      );
    const results = outcomes.map((o) => (o as PromiseFulfilledResult<InboxResult>).value);
    return { eventId: String(job.id), duplicate: results.every((r) => r.duplicate), events: results };
  }

  /** `accept` for job data whose payload may be JSON text (decoded here, at once, so lanes keep arrival order). */
  private acceptWire(label: string, data: unknown): Promise<InboxResult> {
    let envelope: unknown;
    try {
      envelope = fromWireSync(data);
    } catch (err) {
      return Promise.reject(new UnrecoverableError(`${label}: ${errorMessage(err)}`));
    }
    return this.accept(label, envelope);
  }

  /** Validates an envelope and queues it on its lane; `label` names it in refusals (`job 7`, `event intake-3`). */
  private accept(label: string, data: unknown): Promise<InboxResult> {
    const envelope = EventEnvelopeSchema.safeParse(data);
    if (!envelope.success)
      return Promise.reject(new UnrecoverableError(`${label}: not an event envelope: ${envelope.error.message}`));
    const event: EventEnvelopeBase = envelope.data;
    const definition = this.registry.get(event.name);
    if (!definition)
      return Promise.reject(new UnrecoverableError(`${this.options.service}: no handler for ${event.name} (${label})`));
    let payload: unknown;
    try {
      payload = parseEvent(definition.event, event.payload);
    } catch (err) {
      if (err instanceof InvalidEventPayloadError)
        return Promise.reject(new UnrecoverableError(`${label}: ${err.message}`));
      return Promise.reject(err);
    }
    return new Promise<InboxResult>((resolve, reject) => {
      const lane = definition.handleBatch ? this.batched : this.single;
      lane.queue.push({ event, definition, payload, resolve, reject });
      if (lane.active < lane.max) {
        lane.active += 1;
        const drain = this.drain(lane);
        this.drains.add(drain);
        void drain.then(() => this.drains.delete(drain));
      }
    });
  }

  /** Waits for the jobs in progress to finish, then closes the worker's connections. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.close();
    while (this.drains.size > 0) await Promise.all(this.drains);
    const queue = this.holdBackQueue;
    this.holdBackQueue = null;
    await queue?.close();
  }

  /** A handle on the queue for holding it back, opened the first time the database does not answer. */
  private queueHandle(): Queue {
    if (!this.holdBackQueue) {
      this.holdBackQueue = new Queue(this.options.queue, {
        connection: redisOptions(this.options.connection, 'producer'),
        prefix: this.options.prefix,
      });
      // Redis going away as well is the worker's to report
      this.holdBackQueue.on('error', () => undefined);
    }
    return this.holdBackQueue;
  }

  private async drain(lane: Lane): Promise<void> {
    while (lane.queue.length > 0) {
      const batch = lane === this.batched ? lane.queue.splice(0, this.maxBatch) : [lane.queue.shift()!];
      try {
        const results = await this.runBatch(batch);
        batch.forEach((p, i) => p.resolve(results[i]));
      } catch (err) {
        // a batch of several: each again alone; one alone: again at once if the handler says so, else BullMQ retries
        if (batch.length > 1 || err instanceof RetryNow) await this.oneByOne(batch);
        else batch[0].reject(err);
      }
    }
    // synchronously with seeing the queue empty: a job arriving after this starts a new drain
    lane.active -= 1;
  }

  private async oneByOne(batch: Pending[]): Promise<void> {
    for (const p of batch) {
      try {
        p.resolve((await this.runBatch([p]))[0]);
      } catch (err) {
        p.reject(err);
      }
    }
  }

  /** One transaction: the inbox ids of the batch, then the handlers of the events not seen before, in order. */
  private async runBatch(batch: Pending[]): Promise<InboxResult[]> {
    const afterCommit: Array<() => void | Promise<void>> = [];
    const started = performance.now();
    const ran = await withTransaction(this.options.dataSource, async (manager) => {
      const fresh = await recordInbox(
        manager,
        this.options.service,
        batch.map((p) => p.event),
        batch.length > 1 ? { lockTimeoutMs: BATCH_LOCK_TIMEOUT_MS } : {},
      );
      // an id given twice (a job re-added under another job id) runs at its first occurrence only
      const runs = batch.map((p) => fresh.delete(p.event.id));
      const context = (event: EventEnvelopeBase): HandlerContext => ({
        manager,
        event,
        afterCommit: (fn) => afterCommit.push(fn),
      });
      await this.handle(batch, runs, context);
      return runs;
    });
    if (ran.some(Boolean)) this.options.onCommitted?.();
    const queue = this.options.queue;
    this.metrics.transactions.observe({ queue }, (performance.now() - started) / 1000);
    const committedAt = Date.now();
    for (const [i, { event }] of batch.entries()) {
      this.metrics.events.inc({ queue, event: event.name, outcome: ran[i] ? 'handled' : 'duplicate' });
      // a redelivery's age says nothing about the pipeline's pace
      if (ran[i]) this.metrics.delay.observe({ queue }, Math.max(0, committedAt - Date.parse(event.occurredAt)) / 1000);
    }
    if (this.options.logEvents && this.logger.debug) {
      for (const [i, { event }] of batch.entries())
        this.logger.debug(
          `inbox ${this.options.queue}: ${event.name} ${event.id} ${ran[i] ? 'handled' : 'seen before, skipped'}` +
            (event.correlationId ? ` (correlation id ${event.correlationId})` : ''),
        );
    }
    for (const fn of afterCommit) {
      try {
        await fn();
      } catch (err) {
        // The effect is committed; a failing follow-up must not make BullMQ redeliver it.
        this.logger.warn(`inbox ${this.options.queue}: after-commit hook failed: ${errorMessage(err)}`);
      }
    }
    return batch.map((p, i) => ({ eventId: p.event.id, duplicate: !ran[i] }));
  }

  /**
   * Runs the handlers: each run of `handlerRuns` (events of one name, in the order the jobs came, joined past events
   * of other names they share no order key with) goes to its `handleBatch` if any, else event by event.
   */
  private async handle(
    batch: Pending[],
    runs: boolean[],
    context: (event: EventEnvelopeBase) => HandlerContext,
  ): Promise<void> {
    const fresh = batch.filter((_, i) => runs[i]);
    const items = fresh.map((p) => ({ pending: p, definition: p.definition, keys: orderKeysOf(p) }));
    for (const run of handlerRuns(items)) {
      const { definition } = run[0];
      if (definition.handleBatch) {
        await definition.handleBatch(
          run.map(({ pending }) => ({ payload: pending.payload as never, context: context(pending.event) })),
        );
        continue;
      }
      for (const { pending } of run) await definition.handle(pending.payload as never, context(pending.event));
    }
  }
}

/** The event's order keys, if its handler declares them (a handler that throws there gets none: it keeps its place). */
function orderKeysOf(pending: Pending): readonly string[] | undefined {
  try {
    return pending.definition.orderKeys?.(pending.payload as never);
  } catch {
    return undefined;
  }
}

/** A failed batch job's log line names this many of its events (and correlation ids) at most. */
const LOGGED_IDS = 10;

/**
 * What a failed job carried, for its log line: ` [events a, b; correlation ids x, y]` (read from the envelopes as
 * they came, so it works for a job that could not be decoded or validated too).
 */
export function failedJobSuffix(data: unknown): string {
  const envelopes: unknown[] = isBatch(data) ? data.events : [data];
  const field = (key: 'id' | 'correlationId') => [
    ...new Set(
      envelopes
        .map((e) => (e && typeof e === 'object' ? (e as Record<string, unknown>)[key] : undefined))
        .filter((v): v is string => typeof v === 'string' && v.length > 0),
    ),
  ];
  const list = (values: string[]) =>
    values.length > LOGGED_IDS ? `${values.slice(0, LOGGED_IDS).join(', ')} and ${values.length - LOGGED_IDS} more` : values.join(', ');
  const ids = field('id');
  const correlations = field('correlationId');
  if (ids.length === 0 && correlations.length === 0) return '';
  const parts = [`events ${list(ids) || '?'}`];
  if (correlations.length > 0) parts.push(`correlation ids ${list(correlations)}`);
  return ` [${parts.join('; ')}]`;
}

/**
 * A handler's failure that a second try at once will most likely not meet (what it read changed under it, and the
 * failure made it read afresh): the inbox runs the event again alone right away, once, rather than failing its job
 * for BullMQ to retry after a backoff (and log).
 */
export class RetryNow extends Error {}

/** A batch's compressed payload that could not be decoded (its event is refused; the others go on). */
class Undecodable {
  constructor(readonly cause: unknown) {}
}
