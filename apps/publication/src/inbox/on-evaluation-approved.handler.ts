import type { CommandBus } from '@nestjs/cqrs';
import { defineHandler } from '@jixiao/messaging';
import { PublishEvaluation } from '../commands/publish-evaluation.command';
import type { PublicationOutbox } from '../publication-outbox';

/** review.evaluation.approved.v1 → publish or revise the disclosure (inside the inbox transaction: runOnce). */
export const onEvaluationApproved = (commands: CommandBus, outbox: PublicationOutbox) =>
  defineHandler('review.evaluation.approved.v1', async (payload, { manager, event, afterCommit }) => {
    await commands.execute(new PublishEvaluation(payload, manager, event.correlationId));
    afterCommit(() => outbox.nudge());
  });
