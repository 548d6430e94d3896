import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { ServiceHealth, ServiceMessaging } from '@jixiao/messaging';
import { auditChainOf, AuditRegistry, HealthRegistry, logsEvents, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
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
  private serviceHealth: ServiceHealth | null = null;

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
      logEvents: logsEvents(this.ctx.config),
    });
    this.outbox.attach(this.messaging);
    const serviceHealth = new ServiceHealth({
      service: PUBLICATION_SERVICE,
      dataSource: this.dataSource,
      connection: this.ctx.redisUrl,
      prefix: this.ctx.config.QUEUE_PREFIX,
      queues: [QUEUES.publicationInbox],
    });
    this.serviceHealth = serviceHealth;
    this.health.register(PUBLICATION_SERVICE, () => serviceHealth.check());
    this.audit.register(PUBLICATION_SERVICE, auditChainOf(this.dataSource, PUBLICATION_TABLES.audit));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.outbox.attach(null);
    await this.messaging?.stop();
    this.messaging = null;
    await this.serviceHealth?.close();
    this.serviceHealth = null;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
