import type { DataSource } from 'typeorm';
import type { InboxQueueName } from '@jixiao/contracts';
import { consoleLogger, type MessagingLogger } from './logger';
import { messagingMetrics } from './metrics';
import { HandlerRegistry, type AnyHandlerDefinition } from './inbox/handler-registry';
import { InboxWorker } from './inbox/inbox-worker';
import { OutboxRelay } from './outbox/outbox-relay';
import { pruneInbox, pruneOutbox } from './prune';
import { checkAppendOnly, checkNoEviction, createRedisConnection, type RedisConnectionInput } from './redis/redis-connection';

export interface ServiceMessagingOptions {
  service: string;
  dataSource: DataSource;
  redis: RedisConnectionInput;
  prefix?: string;
  /** The service's inbox, if it consumes events. */
  inbox?: {
    queue: InboxQueueName;
    handlers: HandlerRegistry | ReadonlyArray<AnyHandlerDefinition>;
    concurrency?: number;
    /** See InboxWorkerOptions.batchTransactions. */
    batchTransactions?: number;
  };
  /** See InboxWorkerOptions.logEvents. */
  logEvents?: boolean;
  relay?: { batchSize?: number; pollIntervalMs?: number };
  /** How long `start()` waits for Redis before starting anyway (default 10 s). */
  readyTimeoutMs?: number;
  /**
   * Housekeeping, hourly from `start()`: sent outbox rows older than `outboxDays` (default 7) and inbox ids older than
   * `inboxDays` (default 30: well beyond the queues' 7-day failed-job retention, so a redelivery still finds its id)
   * are deleted in batches. `false` turns it off.
   */
  prune?: { outboxDays?: number; inboxDays?: number; everyMs?: number } | false;
  logger?: MessagingLogger;
}

/**
 * A service's messaging in one object: its outbox relay and (optionally) its inbox worker. Construction checks
 * the handlers against the routing table; `start()` checks Redis's eviction policy; `stop()` closes the worker
 * first (in-flight handlers finish), then the relay.
 */
export class ServiceMessaging {
  readonly relay: OutboxRelay;
  readonly inbox: InboxWorker | null;
  private readonly logger: MessagingLogger;

  constructor(private readonly options: ServiceMessagingOptions) {
    this.logger = options.logger ?? consoleLogger;
    // The inbox first: its handler check throws before the relay opens a Redis connection.
    this.inbox = options.inbox
      ? new InboxWorker({
          service: options.service,
          queue: options.inbox.queue,
          dataSource: options.dataSource,
          connection: options.redis,
          prefix: options.prefix,
          handlers: options.inbox.handlers,
          concurrency: options.inbox.concurrency,
          batchTransactions: options.inbox.batchTransactions,
          logger: this.logger,
          logEvents: options.logEvents,
          // Events a handler enqueued leave at once rather than at the next poll.
          onCommitted: () => this.relay.nudge(),
        })
      : null;
    this.relay = new OutboxRelay({
      service: options.service,
      dataSource: options.dataSource,
      connection: options.redis,
      prefix: options.prefix,
      logger: this.logger,
      ...options.relay,
    });
    const service = { service: options.service };
    const relayed = messagingMetrics.outboxRelayed();
    const failures = messagingMetrics.outboxRelayFailures();
    this.relay.on('relayed', (count: number) => relayed.inc(service, count));
    this.relay.on('failure', () => failures.inc(service));
    failures.inc(service, 0); // the series exists from the start (see InboxWorker.start)
  }

  async start(): Promise<void> {
    const probe = createRedisConnection(this.options.redis, 'producer', `${this.options.service}-probe`);
    probe.on('error', () => undefined);
    try {
      const ready = await new Promise<boolean>((resolve) => {
        if (probe.status === 'ready') return resolve(true);
        const timer = setTimeout(() => resolve(false), this.options.readyTimeoutMs ?? 10_000);
        probe.once('ready', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (ready) {
        await checkNoEviction(probe, this.logger);
        await checkAppendOnly(probe, this.logger);
      } else
        this.logger.warn(`${this.options.service}: Redis is not reachable yet; events wait in the outbox until it is`);
    } finally {
      probe.disconnect();
    }
    this.relay.start();
    this.inbox?.start();
    this.schedulePrune();
  }

  private pruneTimer: NodeJS.Timeout | null = null;

  private schedulePrune(): void {
    const p = this.options.prune;
    if (p === false || this.pruneTimer) return;
    const day = 24 * 3600 * 1000;
    const run = async () => {
      const now = Date.now();
      const { dataSource, service } = this.options;
      try {
        const sent = await pruneOutbox(dataSource, service, new Date(now - (p?.outboxDays ?? 7) * day).toISOString());
        const seen = this.inbox
          ? await pruneInbox(dataSource, service, new Date(now - (p?.inboxDays ?? 30) * day).toISOString())
          : 0;
        if (sent + seen > 0) this.logger.log(`${service}: pruned ${sent} sent outbox rows and ${seen} inbox ids`);
      } catch (err) {
        this.logger.warn(`${service}: pruning the outbox/inbox failed: ${(err as Error).message}`);
      }
    };
    this.pruneTimer = setInterval(() => void run(), p?.everyMs ?? 3600_000);
    this.pruneTimer.unref();
  }

  /** Relay now: call after committing a transaction that enqueued events. */
  nudge(): void {
    this.relay.nudge();
  }

  async stop(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    await this.inbox?.close();
    await this.relay.stop();
  }
}
