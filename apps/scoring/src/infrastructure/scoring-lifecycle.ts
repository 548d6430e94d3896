import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import type { Redis } from 'ioredis';
import { createRedisConnection, redisOptions, type ServiceMessaging } from '@jixiao/messaging';
import { verifyAudit } from '@jixiao/persistence';
import { AuditRegistry, HealthRegistry, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import { RecordRuleSets, type RecordRuleSetsResult } from '../commands/record-rule-sets.command';
import { SCORING_SERVICE, SCORING_TABLES } from '../persistence/scoring-tables';
import { SCORING_DATA_SOURCE, SCORING_MESSAGING } from './scoring.tokens';

/**
 * At start (after the CQRS handlers are registered): records new rule-set versions, then starts the inbox worker
 * and the outbox relay. Registers /health (database, Redis, inbox depth) and the audit chain. On shutdown: the
 * worker finishes its jobs, the relay its pass, then the connections and the database close.
 */
@Injectable()
export class ScoringLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('scoring');
  private readonly inboxQueue: Queue;
  private readonly redis: Redis;

  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SCORING_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
    private readonly commands: CommandBus,
    health: HealthRegistry,
    audit: AuditRegistry,
  ) {
    this.inboxQueue = new Queue(QUEUES.scoringInbox, { connection: redisOptions(ctx.redisUrl, 'producer'), prefix: ctx.config.QUEUE_PREFIX });
    this.inboxQueue.on('error', () => undefined);
    this.redis = createRedisConnection(ctx.redisUrl, 'producer', 'scoring-health');
    this.redis.on('error', () => undefined);
    health.register(SCORING_SERVICE, () => this.health());
    audit.register(SCORING_SERVICE, () => verifyAudit(this.dataSource, SCORING_TABLES.audit));
  }

  async onApplicationBootstrap(): Promise<void> {
    const { recorded } = await this.commands.execute<RecordRuleSets, RecordRuleSetsResult>(new RecordRuleSets());
    if (recorded.length) this.logger.log(`rule-set versions recorded: ${recorded.join(', ')}`);
    await this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.stop();
    await this.inboxQueue.close().catch(() => undefined);
    this.redis.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.log('scoring stopped');
  }

  private async health() {
    const details: Record<string, unknown> = {};
    let ok = true;
    try {
      await this.dataSource.query('SELECT 1');
      details.database = 'ok';
    } catch (err) {
      ok = false;
      details.database = (err as Error).message;
    }
    try {
      details.redis = (await this.redis.ping()) === 'PONG' ? 'ok' : 'no PONG';
      const counts = await this.inboxQueue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      details.inbox = { queue: QUEUES.scoringInbox, ...counts };
    } catch (err) {
      details.redis = (err as Error).message;
    }
    if (details.redis !== 'ok') ok = false;
    return { ok, details };
  }
}
