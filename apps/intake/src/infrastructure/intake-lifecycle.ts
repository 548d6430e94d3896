import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ServiceHealth, type ServiceMessaging } from '@jixiao/messaging';
import { auditChainOf, AuditRegistry, HealthRegistry, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import { INTAKE_SERVICE, INTAKE_TABLES } from '../persistence/intake-tables';
import { SubmissionBatcher } from '../persistence/submission-batcher';
import { INTAKE_DATA_SOURCE, INTAKE_MESSAGING } from './intake.tokens';

/**
 * Starts the outbox relay once the application is up, registers /health and the audit chain, and closes
 * everything on shutdown (pending writes first, then the relay, so nothing is mid-flight when the database closes). Intake consumes no
 * event (routing.ts sends it none), so its health reports no queue, only the outbox backlog.
 */
@Injectable()
export class IntakeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('intake');
  private readonly health: ServiceHealth;

  constructor(
    @Inject(INTAKE_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(INTAKE_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly batcher: SubmissionBatcher,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
    health: HealthRegistry,
    audit: AuditRegistry,
  ) {
    this.health = new ServiceHealth({ service: INTAKE_SERVICE, dataSource, connection: ctx.redisUrl });
    health.register(INTAKE_SERVICE, () => this.health.check());
    audit.register(INTAKE_SERVICE, auditChainOf(this.dataSource, INTAKE_TABLES.audit));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.batcher.idle();
    await this.messaging.stop();
    await this.health.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.log('intake stopped');
  }
}
