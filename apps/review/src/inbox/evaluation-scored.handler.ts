import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { type EventHandlerClass, type HandlerContext, MessagingRuntime, OnEvent } from '@jixiao/messaging';
import { RecordScore } from '../commands/record-score.command';
import { inboxWork } from './inbox-work';

/** Records the score and routes: auto-approve, review, or back to review after a re-scoring. */
@Injectable()
@OnEvent('scoring.evaluation.scored.v1')
export class OnEvaluationScored implements EventHandlerClass<'scoring.evaluation.scored.v1'> {
  constructor(
    private readonly commands: CommandBus,
    private readonly messaging: MessagingRuntime,
  ) {}

  async handle(payload: EventPayload<'scoring.evaluation.scored.v1'>, context: HandlerContext): Promise<void> {
    await this.commands.execute(new RecordScore(payload, inboxWork(context, this.messaging)));
  }
}
