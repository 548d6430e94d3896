import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { type EventHandlerClass, type HandlerContext, MessagingRuntime, OnEvent } from '@jixiao/messaging';
import { RecordScore } from '../commands/record-score.command';
import { RecordScores } from '../commands/record-scores.command';
import { inboxWork } from './inbox-work';

type Scored = EventPayload<'scoring.evaluation.scored.v1'>;

/**
 * Records the score and routes: auto-approve, review, or back to review after a re-scoring. The inbox hands the
 * scores that wait while a transaction is in flight to `handleBatch` together: one set-based transaction for all. A
 * score touches only its evaluation's case, so the inbox may take it ahead of other evaluations' submissions.
 */
@Injectable()
@OnEvent('scoring.evaluation.scored.v1')
export class OnEvaluationScored implements EventHandlerClass<'scoring.evaluation.scored.v1'> {
  constructor(
    private readonly commands: CommandBus,
    private readonly messaging: MessagingRuntime,
  ) {}

  async handle(payload: Scored, context: HandlerContext): Promise<void> {
    await this.commands.execute(new RecordScore(payload, inboxWork(context, this.messaging)));
  }

  /** The evaluation's case: the only one a score changes. */
  orderKeys(payload: Scored): string[] {
    return [payload.evaluationId];
  }

  async handleBatch(items: ReadonlyArray<{ payload: Scored; context: HandlerContext }>): Promise<void> {
    if (items.length === 0) return;
    const { manager, afterCommit } = items[0].context;
    afterCommit(() => this.messaging.nudge());
    await this.commands.execute(
      new RecordScores(
        items.map(({ payload, context }) => ({
          score: payload,
          source: context.event.producer,
          eventId: context.event.id,
          correlationId: context.event.correlationId ?? null,
        })),
        manager,
      ),
    );
  }
}
