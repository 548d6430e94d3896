import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createRedisConnection, messagingTables, type ServiceMessaging } from '@jixiao/messaging';
import { verifyAudit } from '@jixiao/persistence';
import { AuditRegistry, HealthRegistry, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import { INTAKE_SERVICE, INTAKE_TABLES } from '../persistence/intake-tables';
import { SubmissionBatcher } from '../persistence/submission-batcher';
import { INTAKE_DATA_SOURCE, INTAKE_MESSAGING } from './intake.tokens';

/**
 * Starts the outbox relay once the application is up, registers /health and the audit chain, and closes
 * everything on shutdown (pending writes first, then the relay, so nothing is mid-flight when the database closes). Intake consumes no
 * event (routing.ts sends it none), so its health reports the outbox backlog instead of an inbox depth.
 */
@Injectable()
export class IntakeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('intake');
  private readonly redis: Redis;

  constructor(
    @Inject(INTAKE_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(INTAKE_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly batcher: SubmissionBatcher,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
    health: HealthRegistry,
    audit: AuditRegistry,
  ) {
    this.redis = createRedisConnection(ctx.redisUrl, 'producer', 'intake-health');
    this.redis.on('error', () => undefined);
    health.register(INTAKE_SERVICE, () => this.health());
    audit.register(INTAKE_SERVICE, () => verifyAudit(this.dataSource, INTAKE_TABLES.audit));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.batcher.idle();
    await this.messaging.stop();
    this.redis.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.log('intake stopped');
  }

  private async health() {
    const details: Record<string, unknown> = {};
    let ok = true;
    try {
      await this.dataSource.query('SELECT 1');
      const [row] = await this.dataSource.query(
        `SELECT COUNT(*) AS n FROM ${messagingTables(INTAKE_SERVICE).outbox} WHERE sent_at IS NULL`,
      );
      details.database = 'ok';
      details.outboxBacklog = Number(row.n);
    } catch (err) {
      ok = false;
      details.database = (err as Error).message;
    }
    try {
      details.redis = (await this.redis.ping()) === 'PONG' ? 'ok' : 'no PONG';
    } catch (err) {
      ok = false;
      details.redis = (err as Error).message;
    }
    if (details.redis !== 'ok') ok = false;
    return { ok, details };
  }
}
