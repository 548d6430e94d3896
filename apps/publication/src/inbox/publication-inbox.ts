import type { CommandBus } from '@nestjs/cqrs';
import type { HandlerDefinition } from '@jixiao/messaging';
import type { PublicationOutbox } from '../publication-outbox';
import { onEvaluationApproved } from './on-evaluation-approved.handler';

/**
 * Every event routing.ts delivers to publication-inbox, one handler each (the worker refuses to start otherwise).
 * Re-scoring consequences reach publication as a new approval from review, so approvals are all there is.
 */
export function publicationInboxHandlers(commands: CommandBus, outbox: PublicationOutbox): HandlerDefinition<never>[] {
  return [onEvaluationApproved(commands, outbox)] as unknown as HandlerDefinition<never>[];
}
