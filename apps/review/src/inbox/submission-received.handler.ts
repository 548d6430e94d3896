import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { type EventHandlerClass, type HandlerContext, MessagingRuntime, OnEvent } from '@jixiao/messaging';
import { RecordSubmission } from '../commands/record-submission.command';
import { RecordSubmissions } from '../commands/record-submissions.command';
import { inboxWork } from './inbox-work';

/**
 * Opens the case (or completes the placeholder a faster score opened). The inbox hands the submissions that wait
 * while a transaction is in flight to `handleBatch` together: one set-based transaction for all. A submission touches
 * only its own case and the one it corrects, so the inbox may take it ahead of scores of other evaluations.
 */
@Injectable()
@OnEvent('intake.submission.received.v1')
export class OnSubmissionReceived implements EventHandlerClass<'intake.submission.received.v1'> {
  constructor(
    private readonly commands: CommandBus,
    private readonly messaging: MessagingRuntime,
  ) {}

  async handle(payload: EventPayload<'intake.submission.received.v1'>, context: HandlerContext): Promise<void> {
    await this.commands.execute(new RecordSubmission(payload, inboxWork(context, this.messaging)));
  }

  /** The version's case, and the case of the version it corrects (noted on). */
  orderKeys(payload: EventPayload<'intake.submission.received.v1'>): string[] {
    return payload.previousVersionId ? [payload.evaluationId, payload.previousVersionId] : [payload.evaluationId];
  }

  async handleBatch(
    items: ReadonlyArray<{ payload: EventPayload<'intake.submission.received.v1'>; context: HandlerContext }>,
  ): Promise<void> {
    if (items.length === 0) return;
    items[0].context.afterCommit(() => this.messaging.nudge());
    await this.commands.execute(
      new RecordSubmissions(
        items.map(({ payload, context }) => ({
          submission: payload,
          source: context.event.producer,
          eventId: context.event.id,
        })),
        items[0].context.manager,
      ),
    );
  }
}
