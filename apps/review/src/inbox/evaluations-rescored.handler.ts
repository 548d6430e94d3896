import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { type EventHandlerClass, type HandlerContext, MessagingRuntime, OnEvent } from '@jixiao/messaging';
import { RecordScores } from '../commands/record-scores.command';

type Rescored = EventPayload<'scoring.evaluations.rescored.v1'>;

/**
 * One chunk of a bulk re-scoring run (1,000–2,000 scores): recorded set-based in the inbox's transaction, each item
 * as if it had come as its own `scoring.evaluation.scored.v1` (an approved or published case whose outcome changed
 * goes back to review, naming the run and rule-set version, and on to publication with its recomputed breakdown as
 * `review.evaluations.reopened.v1`). `previous` is scoring's view of the replaced result: review decides against the
 * result it recorded itself.
 */
@Injectable()
@OnEvent('scoring.evaluations.rescored.v1')
export class OnEvaluationsRescored implements EventHandlerClass<'scoring.evaluations.rescored.v1'> {
  constructor(
    private readonly commands: CommandBus,
    private readonly messaging: MessagingRuntime,
  ) {}

  async handle(payload: Rescored, context: HandlerContext): Promise<void> {
    context.afterCommit(() => this.messaging.nudge());
    const origin = {
      source: context.event.producer,
      eventId: context.event.id,
      correlationId: context.event.correlationId ?? null,
    };
    await this.commands.execute(
      new RecordScores(
        payload.items.map(({ previous: _previous, ...score }) => ({ score, ...origin })),
        context.manager,
        { runId: payload.runId, chunk: payload.chunk, activated: payload.activated },
      ),
    );
  }
}
