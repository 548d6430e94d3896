import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { ServiceHealth, type ServiceMessaging } from '@jixiao/messaging';
import { auditChainOf, AuditRegistry, HealthRegistry, SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import { RecordRuleSets, type RecordRuleSetsResult } from '../commands/record-rule-sets.command';
import { SCORING_SERVICE, SCORING_TABLES } from '../persistence/scoring-tables';
import type { RescoreQueue } from '../rescoring/rescore-queue';
import { SCORING_DATA_SOURCE, SCORING_MESSAGING, SCORING_RESCORE_QUEUE } from './scoring.tokens';

/**
 * At start (after the CQRS handlers are registered): records new rule-set versions, then starts the inbox worker
 * and the outbox relay. Registers /health (database, Redis, the inbox's and re-scoring queue's depth) and the audit chain. On shutdown: the
 * worker finishes its jobs, the relay its pass, then the connections and the database close.
 */
@Injectable()
export class ScoringLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('scoring');
  private readonly health: ServiceHealth;
  private started = false;

  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SCORING_MESSAGING) private readonly messaging: ServiceMessaging,
    @Inject(SCORING_RESCORE_QUEUE) private readonly rescore: RescoreQueue,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
    private readonly commands: CommandBus,
    health: HealthRegistry,
    audit: AuditRegistry,
  ) {
    this.health = new ServiceHealth({
      service: SCORING_SERVICE,
      dataSource,
      connection: ctx.redisUrl,
      prefix: ctx.config.QUEUE_PREFIX,
      queues: [QUEUES.scoringInbox, QUEUES.scoringRescore],
    });
    health.register(SCORING_SERVICE, () => this.health.check());
    audit.register(SCORING_SERVICE, auditChainOf(this.dataSource, SCORING_TABLES.audit));
  }

  async onApplicationBootstrap(): Promise<void> {
    const { recorded, activated } = await this.commands.execute<RecordRuleSets, RecordRuleSetsResult>(new RecordRuleSets());
    const drafts = recorded.filter((id) => !activated.includes(id));
    if (activated.length) this.logger.log(`rule-set versions recorded and activated (first of their rule set): ${activated.join(', ')}`);
    if (drafts.length)
      this.logger.warn(
        `rules/ files differ from the active versions, recorded as drafts: ${drafts.join(', ')} — preview with ` +
          '`jixiao rules impact <id> --version <n>`, activate with `jixiao rules activate <id> --version <n> --reason …`',
      );
    await this.messaging.start();
    this.rescore.start();
    this.started = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.inboxWorkerReady();
    await this.rescore.stop();
    await this.messaging.stop();
    await this.health.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.log('scoring stopped');
  }

  /**
   * A BullMQ worker closed before its connection is ready leaves a rejected promise nobody handles (seen on a quick
   * restart); wait for it, bounded, so shutdown right after start is clean. (`start()` returns the running worker.)
   */
  private async inboxWorkerReady(): Promise<void> {
    if (!this.started || !this.messaging.inbox) return;
    const worker = this.messaging.inbox.start();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      worker.waitUntilReady().catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000))),
    ]);
    clearTimeout(timer);
  }
}
