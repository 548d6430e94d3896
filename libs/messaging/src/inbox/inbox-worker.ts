import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import {
  EventEnvelopeSchema,
  InvalidEventPayloadError,
  parseEvent,
  type EventEnvelopeBase,
  type InboxQueueName,
} from '@jixiao/contracts';
import { withTransaction } from '@jixiao/persistence';
import { consoleLogger, errorMessage, type MessagingLogger } from '../logger';
import { redisOptions, type RedisConnectionInput } from '../redis/redis-connection';
import { HandlerRegistry, type AnyHandlerDefinition } from './handler-registry';
import { runOnce } from './run-once';

export interface InboxWorkerOptions {
  service: string;
  queue: InboxQueueName;
  dataSource: DataSource;
  connection: RedisConnectionInput;
  prefix?: string;
  handlers: HandlerRegistry | ReadonlyArray<AnyHandlerDefinition>;
  /** Jobs processed in parallel (default 1 on SQLite, whose writes are serialised anyway, else 8). */
  concurrency?: number;
  logger?: MessagingLogger;
  /** Called after each handler's transaction commits (ServiceMessaging nudges the service's relay here). */
  onCommitted?: () => void;
}

export type InboxResult = { eventId: string; duplicate: boolean };

/**
 * One BullMQ worker for the service's inbox queue. For each job: validate the envelope and the payload against
 * the contract (a bad one fails at once, without retries), then in one transaction record the event id in the
 * inbox and run its handler — a redelivered event finds its id and changes nothing.
 * The handler registry is checked against `routing.ts` in the constructor, so a missing handler stops start-up.
 */
export class InboxWorker {
  readonly registry: HandlerRegistry;
  private worker: Worker | null = null;
  private readonly logger: MessagingLogger;

  constructor(private readonly options: InboxWorkerOptions) {
    this.registry =
      options.handlers instanceof HandlerRegistry
        ? options.handlers
        : new HandlerRegistry(options.service, options.handlers);
    this.registry.assertMatchesRouting(options.queue);
    this.logger = options.logger ?? consoleLogger;
  }

  start(): Worker {
    if (this.worker) return this.worker;
    const sqlite = this.options.dataSource.options.type !== 'postgres';
    this.worker = new Worker(this.options.queue, (job) => this.process(job), {
      connection: redisOptions(this.options.connection, 'worker'),
      prefix: this.options.prefix,
      concurrency: this.options.concurrency ?? (sqlite ? 1 : 8),
    });
    this.worker.on('error', (err) => this.logger.warn(`inbox ${this.options.queue}: ${errorMessage(err)}`));
    this.worker.on('failed', (job, err) =>
      this.logger.error(`inbox ${this.options.queue}: job ${job?.id} (${job?.name}) failed: ${errorMessage(err)}`),
    );
    return this.worker;
  }

  /** Processes one job (exposed for tests and for draining a queue by hand). */
  async process(job: Pick<Job, 'id' | 'name' | 'data'>): Promise<InboxResult> {
    const envelope = EventEnvelopeSchema.safeParse(job.data);
    if (!envelope.success)
      throw new UnrecoverableError(`job ${job.id}: not an event envelope: ${envelope.error.message}`);
    const event: EventEnvelopeBase = envelope.data;
    const definition = this.registry.get(event.name);
    if (!definition)
      throw new UnrecoverableError(`${this.options.service}: no handler for ${event.name} (job ${job.id})`);
    let payload: unknown;
    try {
      payload = parseEvent(definition.event, event.payload);
    } catch (err) {
      if (err instanceof InvalidEventPayloadError) throw new UnrecoverableError(`job ${job.id}: ${err.message}`);
      throw err;
    }
    const afterCommit: Array<() => void | Promise<void>> = [];
    const outcome = await withTransaction(this.options.dataSource, (manager) =>
      runOnce(manager, this.options.service, event, () =>
        definition.handle(payload as never, { manager, event, afterCommit: (fn) => afterCommit.push(fn) }),
      ),
    );
    if (outcome.ran) this.options.onCommitted?.();
    for (const fn of afterCommit) {
      try {
        await fn();
      } catch (err) {
        // The effect is committed; a failing follow-up must not make BullMQ redeliver it.
        this.logger.warn(`inbox ${this.options.queue}: after-commit hook of ${event.id} failed: ${errorMessage(err)}`);
      }
    }
    return { eventId: event.id, duplicate: !outcome.ran };
  }

  /** Waits for the jobs in progress to finish, then closes the worker's connections. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.close();
  }
}
