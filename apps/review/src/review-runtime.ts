import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { ServiceHealth } from '@jixiao/messaging';
import { auditChainOf, AuditRegistry, HealthRegistry, type ServiceContext } from '@jixiao/runtime';
import { REVIEW_SERVICE, REVIEW_TABLES } from './persistence/review-tables';
import { REVIEW_CONTEXT, REVIEW_DATA_SOURCE } from './review.tokens';

/**
 * Registers /health (database, unsent outbox, Redis, inbox depth) and the audit chain. Messaging starts and stops
 * with the app (MessagingRuntime: the worker and relay stop before shutdown, in-flight jobs finishing); the health
 * check's connection and the database close last, once nothing uses them.
 */
@Injectable()
export class ReviewRuntime implements OnModuleInit, OnApplicationShutdown {
  private readonly serviceHealth: ServiceHealth;

  constructor(
    @Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(REVIEW_CONTEXT) ctx: ServiceContext,
    private readonly health: HealthRegistry,
    private readonly audit: AuditRegistry,
  ) {
    this.serviceHealth = new ServiceHealth({
      service: REVIEW_SERVICE,
      dataSource,
      connection: ctx.redisUrl,
      prefix: ctx.config.QUEUE_PREFIX,
      queues: [QUEUES.reviewInbox],
    });
  }

  onModuleInit(): void {
    this.health.register(REVIEW_SERVICE, () => this.serviceHealth.check());
    this.audit.register(REVIEW_SERVICE, auditChainOf(this.dataSource, REVIEW_TABLES.audit));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.serviceHealth.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
