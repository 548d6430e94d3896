import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { MessagingRuntime } from '@jixiao/messaging';
import { withTransaction } from '@jixiao/persistence';
import { REVIEW_DATA_SOURCE } from '../review.tokens';
import { REVIEW_SERVICE } from './review-tables';
import type { ReviewWork } from './review-work';

/** Runs an HTTP action in one transaction; after commit, the outbox relay is nudged so its events leave at once. */
@Injectable()
export class ReviewUnitOfWork {
  constructor(
    @Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly messaging: MessagingRuntime,
  ) {}

  /** `correlationId`: the request's, carried on by the events the action sends. */
  async run<T>(fn: (work: ReviewWork) => Promise<T>, correlationId: string | null = null): Promise<T> {
    const after: Array<() => void | Promise<void>> = [];
    const result = await withTransaction(this.dataSource, (manager) =>
      fn({ manager, source: REVIEW_SERVICE, eventId: null, correlationId, afterCommit: (f) => after.push(f) }),
    );
    this.messaging.nudge();
    for (const f of after) await f();
    return result;
  }
}
