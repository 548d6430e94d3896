import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { messagingTables, redisOptions } from '@jixiao/messaging';
import { dialectOf, verifyAudit } from '@jixiao/persistence';
import { AuditRegistry, HealthRegistry, type HealthCheckResult, type ServiceContext } from '@jixiao/runtime';
import { ReviewMessaging } from './inbox/review-messaging';
import { REVIEW_SERVICE, REVIEW_TABLES } from './persistence/review-tables';
import { REVIEW_CONTEXT, REVIEW_DATA_SOURCE } from './review.tokens';

/**
 * The service's life: registers /health (database, Redis, inbox depth, unsent outbox) and its audit chain, starts
 * messaging once the app is up, and on shutdown closes the inbox worker (in-flight jobs finish), the relay, the
 * health queue and finally the database.
 */
@Injectable()
export class ReviewRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly inboxQueue: Queue;

  constructor(
    @Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(REVIEW_CONTEXT) ctx: ServiceContext,
    private readonly messaging: ReviewMessaging,
    private readonly health: HealthRegistry,
    private readonly audit: AuditRegistry,
  ) {
    this.inboxQueue = new Queue(QUEUES.reviewInbox, { connection: redisOptions(ctx.redisUrl, 'producer'), prefix: ctx.config.QUEUE_PREFIX });
    this.inboxQueue.on('error', () => undefined); // reported by /health, not as an unhandled error
  }

  onModuleInit(): void {
    this.health.register(REVIEW_SERVICE, () => this.check());
    this.audit.register(REVIEW_SERVICE, () => verifyAudit(this.dataSource, REVIEW_TABLES.audit));
  }

  onApplicationBootstrap(): Promise<void> {
    return this.messaging.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.messaging.stop();
    await this.inboxQueue.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async check(): Promise<HealthCheckResult> {
    const [database, redis, inbox] = await Promise.all([
      probe(async () => {
        const [row] = await this.dataSource.query(`SELECT COUNT(*) AS n FROM ${messagingTables(REVIEW_SERVICE).outbox} WHERE sent_at IS NULL`);
        return { dialect: dialectOf(this.dataSource), outboxUnsent: Number(row.n) };
      }),
      probe(async () => ({ ping: await ((await this.inboxQueue.client) as unknown as { ping(): Promise<string> }).ping() })),
      probe(async () => this.inboxQueue.getJobCounts('waiting', 'active', 'delayed', 'failed')),
    ]);
    return { ok: database.ok && redis.ok && inbox.ok, details: { database, redis, inboxQueue: { queue: QUEUES.reviewInbox, ...inbox } } };
  }
}

async function probe(fn: () => Promise<object>): Promise<{ ok: boolean } & Record<string, unknown>> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
