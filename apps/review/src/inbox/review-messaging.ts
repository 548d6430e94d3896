import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { QUEUES } from '@jixiao/contracts';
import { ServiceMessaging } from '@jixiao/messaging';
import type { ServiceContext } from '@jixiao/runtime';
import { REVIEW_SERVICE } from '../persistence/review-tables';
import { REVIEW_CONTEXT, REVIEW_DATA_SOURCE } from '../review.tokens';
import { reviewInboxHandlers } from './review-inbox.handlers';

/** The review service's outbox relay and inbox worker (BullMQ prefix QUEUE_PREFIX). Built at once so a routing mismatch stops start-up. */
@Injectable()
export class ReviewMessaging {
  readonly messaging: ServiceMessaging;

  constructor(
    @Inject(REVIEW_DATA_SOURCE) dataSource: DataSource,
    @Inject(REVIEW_CONTEXT) ctx: ServiceContext,
    commands: CommandBus,
  ) {
    this.messaging = new ServiceMessaging({
      service: REVIEW_SERVICE,
      dataSource,
      redis: ctx.redisUrl,
      prefix: ctx.config.QUEUE_PREFIX,
      inbox: { queue: QUEUES.reviewInbox, handlers: reviewInboxHandlers(commands, () => this.nudge()) },
      logger: new Logger('review-messaging'),
    });
  }

  start(): Promise<void> {
    return this.messaging.start();
  }

  nudge(): void {
    this.messaging.nudge();
  }

  stop(): Promise<void> {
    return this.messaging.stop();
  }
}
