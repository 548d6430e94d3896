import type { CommandBus } from '@nestjs/cqrs';
import type { HandlerDefinition } from '@jixiao/messaging';
import type { PublicationOutbox } from '../publication-outbox';
import { onEvaluationApproved } from './on-evaluation-approved.handler';
import { onEvaluationsRescored } from './on-evaluations-rescored.handler';

/**
 * Every event routing.ts delivers to publication-inbox, one handler each (the worker refuses to start otherwise).
 * A re-scoring run's chunks revise published figures at once (marked under review); review's next approval
 * publishes as any approval does.
 */
export function publicationInboxHandlers(commands: CommandBus, outbox: PublicationOutbox): HandlerDefinition<never>[] {
  return [onEvaluationApproved(commands, outbox), onEvaluationsRescored(commands)] as unknown as HandlerDefinition<never>[];
}
