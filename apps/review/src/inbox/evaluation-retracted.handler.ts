import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { type EventHandlerClass, type HandlerContext, MessagingRuntime, OnEvent } from '@jixiao/messaging';
import { RecordRetraction } from '../commands/record-disclosure.command';
import { inboxWork } from './inbox-work';

/** Marks the case retracted. */
@Injectable()
@OnEvent('publication.evaluation.retracted.v1')
export class OnEvaluationRetracted implements EventHandlerClass<'publication.evaluation.retracted.v1'> {
  constructor(
    private readonly commands: CommandBus,
    private readonly messaging: MessagingRuntime,
  ) {}

  async handle(payload: EventPayload<'publication.evaluation.retracted.v1'>, context: HandlerContext): Promise<void> {
    await this.commands.execute(new RecordRetraction(payload, inboxWork(context, this.messaging)));
  }
}
