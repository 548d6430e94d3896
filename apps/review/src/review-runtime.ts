import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { messagingTables, redisOptions } from '@jixiao/messaging';
import { dialectOf, verifyAudit } from '@jixiao/persistence';
import { AuditRegistry, HealthRegistry, type HealthCheckResult, type ServiceContext } from '@jixiao/runtime';
import { REVIEW_SERVICE, REVIEW_TABLES } from './persistence/review-tables';
import { REVIEW_CONTEXT, REVIEW_DATA_SOURCE } from './review.tokens';

/**
 * Registers /health (database, Redis, inbox depth, unsent outbox) and the audit chain. Messaging starts and stops
 * with the app (MessagingRuntime: the worker and relay stop before shutdown, in-flight jobs finishing); the health
 * queue and the database close last, once nothing uses them.
 */
@Injectable()
export class ReviewRuntime implements OnModuleInit, OnApplicationShutdown {
  private readonly inboxQueue: Queue;

  constructor(
    @Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(REVIEW_CONTEXT) ctx: ServiceContext,
    private readonly health: HealthRegistry,
    private readonly audit: AuditRegistry,
  ) {
    this.inboxQueue = new Queue(QUEUES.reviewInbox, {
      connection: redisOptions(ctx.redisUrl, 'producer'),
      prefix: ctx.config.QUEUE_PREFIX,
    });
    this.inboxQueue.on('error', () => undefined); // reported by /health, not as an unhandled error
  }

  onModuleInit(): void {
    this.health.register(REVIEW_SERVICE, () => this.check());
    this.audit.register(REVIEW_SERVICE, () => verifyAudit(this.dataSource, REVIEW_TABLES.audit));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.inboxQueue.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async check(): Promise<HealthCheckResult> {
    const [database, redis, inbox] = await Promise.all([
      probe(async () => {
        const [row] = await this.dataSource.query(
          `SELECT COUNT(*) AS n FROM ${messagingTables(REVIEW_SERVICE).outbox} WHERE sent_at IS NULL`,
        );
        return { dialect: dialectOf(this.dataSource), outboxUnsent: Number(row.n) };
      }),
      probe(async () => ({
        ping: await ((await this.inboxQueue.client) as unknown as { ping(): Promise<string> }).ping(),
      })),
      probe(async () => this.inboxQueue.getJobCounts('waiting', 'active', 'delayed', 'failed')),
    ]);
    return {
      ok: database.ok && redis.ok && inbox.ok,
      details: { database, redis, inboxQueue: { queue: QUEUES.reviewInbox, ...inbox } },
    };
  }
}

async function probe(fn: () => Promise<object>): Promise<{ ok: boolean } & Record<string, unknown>> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
