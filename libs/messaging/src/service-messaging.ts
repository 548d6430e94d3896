import type { DataSource } from 'typeorm';
import type { InboxQueueName } from '@jixiao/contracts';
import { consoleLogger, type MessagingLogger } from './logger';
import { HandlerRegistry, type AnyHandlerDefinition } from './inbox/handler-registry';
import { InboxWorker } from './inbox/inbox-worker';
import { OutboxRelay } from './outbox/outbox-relay';
import { checkNoEviction, createRedisConnection, type RedisConnectionInput } from './redis/redis-connection';

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
  };
  relay?: { batchSize?: number; pollIntervalMs?: number };
  /** How long `start()` waits for Redis before starting anyway (default 10 s). */
  readyTimeoutMs?: number;
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
          logger: this.logger,
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
      if (ready) await checkNoEviction(probe, this.logger);
      else
        this.logger.warn(`${this.options.service}: Redis is not reachable yet; events wait in the outbox until it is`);
    } finally {
      probe.disconnect();
    }
    this.relay.start();
    this.inbox?.start();
  }

  /** Relay now: call after committing a transaction that enqueued events. */
  nudge(): void {
    this.relay.nudge();
  }

  async stop(): Promise<void> {
    await this.inbox?.close();
    await this.relay.stop();
  }
}
