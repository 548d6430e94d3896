import 'reflect-metadata';
import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { QUEUES, type EventPayload } from '@jixiao/contracts';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import type { HandlerContext } from '../inbox/handler-registry';
import { enqueueEvents } from '../outbox/enqueue-events';
import { messagingMigrations } from '../outbox/messaging.migration';
import { countEffects, effectsMigration, submission } from '../testing/pipeline-fixture';
import { deletePrefix, TEST_REDIS_URL, testPrefix, waitFor } from '../testing/test-redis';
import { MessagingModule, MessagingRuntime } from './messaging.module';
import { OnEvent } from './on-event.decorator';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

@Injectable()
@OnEvent('intake.submission.received.v1')
class SubmissionReceivedHandler {
  async handle(payload: EventPayload<'intake.submission.received.v1'>, { manager, event }: HandlerContext) {
    const pg = manager.connection.options.type === 'postgres';
    await manager.query(`INSERT INTO test_effects (event_id, evaluation_id) VALUES (${pg ? '$1, $2' : '?, ?'})`, [
      event.id,
      payload.evaluationId,
    ]);
  }
}

/** Offers the inbox's group commit: every event goes through handleBatch (a lone one as a batch of one). */
@Injectable()
@OnEvent('intake.submission.received.v1')
class BatchedSubmissionHandler {
  static singles = 0;
  static batchSizes: number[] = [];
  private readonly single = new SubmissionReceivedHandler();

  async handle(payload: EventPayload<'intake.submission.received.v1'>, context: HandlerContext) {
    BatchedSubmissionHandler.singles += 1;
    await this.single.handle(payload, context);
  }

  async handleBatch(
    items: ReadonlyArray<{ payload: EventPayload<'intake.submission.received.v1'>; context: HandlerContext }>,
  ) {
    BatchedSubmissionHandler.batchSizes.push(items.length);
    for (const { payload, context } of items) await this.single.handle(payload, context);
  }
}

@Injectable()
@OnEvent('scoring.ruleset.activated.v1')
class RuleSetActivatedHandler {
  async handle() {}
}

describe('MessagingModule (Nest) on postgres', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let prefix: string;

  const appModule = (handlers: Array<new () => object>): DynamicModule => {
    @Module({})
    class ScoringTestModule {}
    return {
      module: ScoringTestModule,
      providers: handlers,
      imports: [
        MessagingModule.forService({
          service: 'scoring',
          inbox: { queue: QUEUES.scoringInbox, handlers },
          useFactory: () => ({ dataSource: ds, redis: TEST_REDIS_URL, prefix, logger: quiet }),
        }),
      ],
    };
  };

  beforeEach(async () => {
    prefix = testPrefix();
    db = await openTestDatabase('postgres', {
      name: 'nestmsg',
      entities: [],
      migrations: [...messagingMigrations('scoring'), effectsMigration],
    });
    ds = db.dataSource;
    await runMigrations(ds);
  });
  afterEach(async () => {
    await db?.close();
    await deletePrefix(prefix);
  });

  it('starts the relay and the inbox at bootstrap, delivers, and stops on close', async () => {
    const app = await NestFactory.createApplicationContext(
      appModule([SubmissionReceivedHandler, RuleSetActivatedHandler]),
      {
        logger: false,
      },
    );
    try {
      const messaging = app.get(MessagingRuntime, { strict: false });
      expect(messaging.service).toBe('scoring');
      // scoring's own outbox carries an event routed to its own inbox: the round trip through Redis.
      await withTransaction(ds, (m) =>
        enqueueEvents(m, 'scoring', [{ name: 'intake.submission.received.v1', payload: submission(7) }]),
      );
      messaging.nudge();
      await waitFor('the handler ran', async () => (await countEffects(ds)) === 1);
    } finally {
      await app.close();
    }
  });

  it("hands a class's handleBatch to the inbox: its events are handled in batches", async () => {
    const app = await NestFactory.createApplicationContext(
      appModule([BatchedSubmissionHandler, RuleSetActivatedHandler]),
      {
        logger: false,
      },
    );
    try {
      await withTransaction(ds, (m) =>
        enqueueEvents(
          m,
          'scoring',
          Array.from({ length: 40 }, (_, i) => ({
            name: 'intake.submission.received.v1' as const,
            payload: submission(i),
          })),
        ),
      );
      app.get(MessagingRuntime, { strict: false }).nudge();
      await waitFor('all 40 handled', async () => (await countEffects(ds)) === 40);
      expect(BatchedSubmissionHandler.singles).toBe(0);
      expect(BatchedSubmissionHandler.batchSizes.reduce((a, b) => a + b, 0)).toBe(40);
    } finally {
      await app.close();
    }
  });

  it('refuses to start when an event routed to the inbox has no handler', async () => {
    await expect(
      NestFactory.createApplicationContext(appModule([SubmissionReceivedHandler]), {
        logger: false,
        abortOnError: false,
      }),
    ).rejects.toThrow('no handler for scoring.ruleset.activated.v1');
  });
});
