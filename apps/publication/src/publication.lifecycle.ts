import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { createRedisConnection, messagingTables, ServiceMessaging } from '@jixiao/messaging';
import { dialectOf, verifyAudit } from '@jixiao/persistence';
import { AuditRegistry, HealthRegistry, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import { publicationInboxHandlers } from './inbox/publication-inbox';
import { PUBLICATION_SERVICE, PUBLICATION_TABLES } from './persistence/publication.tables';
import { PublicationOutbox } from './publication-outbox';
import { PUBLICATION_DATA_SOURCE } from './publication.tokens';

/**
 * Starts the service's messaging once Nest (and the CQRS buses) are ready, registers /health and the audit chain,
 * and on shutdown closes in order: the inbox worker (in-flight jobs finish), the relay, Redis, then the database.
 */
@Injectable()
export class PublicationLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PUBLICATION_SERVICE);
  private messaging: ServiceMessaging | null = null;
  private redis: Redis | null = null;
  private inboxQueue: Queue | null = null;

  constructor(
    @Inject(SERVICE_CONTEXT) private readonly ctx: ServiceContext,
    @Inject(PUBLICATION_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
    private readonly outbox: PublicationOutbox,
    private readonly health: HealthRegistry,
    private readonly audit: AuditRegistry,
  ) {}

  onModuleInit(): void {
    // Built here so a handler missing for a routed event stops start-up before anything listens.
    this.messaging = new ServiceMessaging({
      service: PUBLICATION_SERVICE,
      dataSource: this.dataSource,
      redis: this.ctx.redisUrl,
      prefix: this.ctx.config.QUEUE_PREFIX,
      inbox: { queue: QUEUES.publicationInbox, handlers: publicationInboxHandlers(this.commands, this.outbox) },
      logger: this.logger,
    });
    this.outbox.attach(this.messaging);
    this.redis = createRedisConnection(this.ctx.redisUrl, 'producer', `${PUBLICATION_SERVICE}-health`);
    this.redis.on('error', () => undefined);
    this.inboxQueue = new Queue(QUEUES.publicationInbox, { connection: this.redis, prefix: this.ctx.config.QUEUE_PREFIX });
    this.inboxQueue.on('error', () => undefined);
    this.health.register(PUBLICATION_SERVICE, () => this.check());
    this.audit.register(PUBLICATION_SERVICE, () => verifyAudit(this.dataSource, PUBLICATION_TABLES.audit));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.outbox.attach(null);
    await this.messaging?.stop();
    this.messaging = null;
    await this.inboxQueue?.close().catch(() => undefined);
    this.redis?.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async check() {
    const details: Record<string, unknown> = {};
    let ok = true;
    try {
      await this.dataSource.query('SELECT 1');
      const [row] = await this.dataSource.query(`SELECT COUNT(*) AS n FROM ${messagingTables(PUBLICATION_SERVICE).outbox} WHERE sent_at IS NULL`);
      details.database = { ok: true, dialect: dialectOf(this.dataSource), outboxUnsent: Number(row.n) };
    } catch (err) {
      ok = false;
      details.database = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    try {
      if (this.redis?.status === 'wait') await this.redis.connect();
      await this.redis!.ping();
      const depth = await this.inboxQueue!.getJobCounts('waiting', 'active', 'delayed', 'failed');
      details.redis = { ok: true };
      details.inbox = { queue: QUEUES.publicationInbox, ...depth };
    } catch (err) {
      ok = false;
      details.redis = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    return { ok, details };
  }
}
