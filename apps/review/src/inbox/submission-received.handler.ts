import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EventPayload } from '@jixiao/contracts';
import { type EventHandlerClass, type HandlerContext, MessagingRuntime, OnEvent } from '@jixiao/messaging';
import { RecordSubmission } from '../commands/record-submission.command';
import { inboxWork } from './inbox-work';

/** Opens the case (or completes the placeholder a faster score opened). */
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
}
