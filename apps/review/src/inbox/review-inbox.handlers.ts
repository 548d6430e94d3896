import type { CommandBus } from '@nestjs/cqrs';
import { defineHandler, type HandlerContext, type HandlerDefinition } from '@jixiao/messaging';
import { RecordPublication, RecordRetraction } from '../commands/record-disclosure.command';
import { RecordScore } from '../commands/record-score.command';
import { RecordSubmission } from '../commands/record-submission.command';
import type { ReviewWork } from '../persistence/review-work';

/**
 * The review inbox: one handler per event routed to `review-inbox`, each dispatching a command that writes in the
 * inbox's transaction (so the event id, the change, its audit and its outgoing events commit together).
 */
export function reviewInboxHandlers(commands: CommandBus, nudge: () => void): HandlerDefinition<never>[] {
  const work = (ctx: HandlerContext): ReviewWork => {
    ctx.afterCommit(nudge);
    return { manager: ctx.manager, source: ctx.event.producer, eventId: ctx.event.id, afterCommit: ctx.afterCommit };
  };
  return [
    defineHandler('intake.submission.received.v1', (p, ctx) => commands.execute(new RecordSubmission(p, work(ctx)))),
    defineHandler('scoring.evaluation.scored.v1', (p, ctx) => commands.execute(new RecordScore(p, work(ctx)))),
    defineHandler('publication.evaluation.published.v1', (p, ctx) => commands.execute(new RecordPublication(p, work(ctx)))),
    defineHandler('publication.evaluation.retracted.v1', (p, ctx) => commands.execute(new RecordRetraction(p, work(ctx)))),
  ] as HandlerDefinition<never>[];
}
