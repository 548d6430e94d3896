import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { type EventHandlerClass, type HandlerContext, MessagingRuntime, OnEvent } from '@jixiao/messaging';
import { RecordPublication } from '../commands/record-disclosure.command';
import { inboxWork } from './inbox-work';

/** Marks the case published (with its public path). */
@Injectable()
@OnEvent('publication.evaluation.published.v1')
export class OnEvaluationPublished implements EventHandlerClass<'publication.evaluation.published.v1'> {
  constructor(
    private readonly commands: CommandBus,
    private readonly messaging: MessagingRuntime,
  ) {}

  async handle(payload: EventPayload<'publication.evaluation.published.v1'>, context: HandlerContext): Promise<void> {
    await this.commands.execute(new RecordPublication(payload, inboxWork(context, this.messaging)));
  }
}
