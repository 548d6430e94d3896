import type { CommandBus } from '@nestjs/cqrs';
import { defineHandler, type HandlerDefinition } from '@jixiao/messaging';
import { ScoreEvaluations } from '../commands/score-evaluations.command';

/**
 * One handler per event routed to `scoring-inbox` (the worker refuses to start if routing.ts and this list
 * disagree). Each runs inside the inbox transaction, after the event id was recorded: a redelivery runs nothing.
 */
export function scoringInboxHandlers(commands: CommandBus, nudge: () => void): HandlerDefinition<never>[] {
  return [
    defineHandler(
      'intake.submission.received.v1',
      async (payload, { manager, event, afterCommit }) => {
        await commands.execute(new ScoreEvaluations([payload], manager, { correlationId: event.correlationId }));
        afterCommit(nudge);
      },
      // several submissions taken in one inbox transaction: scored and written with one set of statements
      async (items) => {
        const { manager, afterCommit } = items[0].context;
        const correlationIds = new Map(items.map((i) => [i.payload.evaluationId, i.context.event.correlationId]));
        await commands.execute(
          new ScoreEvaluations(
            items.map((i) => i.payload),
            manager,
            { correlationIds },
          ),
        );
        afterCommit(nudge);
      },
    ),
    // Recorded in the inbox (the event id, in this transaction) and nothing else for now: issue 5 turns an
    // activation into a bulk re-scoring run of the region, its inheriting sub-regions and the years it covers.
    defineHandler('scoring.ruleset.activated.v1', async () => undefined),
  ] as HandlerDefinition<never>[];
}
