import type { CommandBus } from '@nestjs/cqrs';
import type { HandlerDefinition } from '@jixiao/messaging';
import type { PublicationOutbox } from '../publication-outbox';
import { onEvaluationApproved } from './on-evaluation-approved.handler';
import { onEvaluationsReopened } from './on-evaluations-reopened.handler';

/**
 * Every event routing.ts delivers to publication-inbox, one handler each (the worker refuses to start otherwise).
 * A re-scoring run's changes to published figures (passed on by review, which sends the evaluations back to a
 * reviewer) revise them at once, marked under review; review's next approval publishes as any approval does.
 */
export function publicationInboxHandlers(commands: CommandBus, outbox: PublicationOutbox): HandlerDefinition<never>[] {
  return [onEvaluationApproved(commands, outbox), onEvaluationsReopened(commands)] as unknown as HandlerDefinition<never>[];
}
