import type { CommandBus } from '@nestjs/cqrs';
import { defineHandler } from '@jixiao/messaging';
import { RecordRescoring } from '../commands/record-rescoring.command';

/**
 * review.evaluations.reopened.v1 (the approved or published evaluations a chunk of a re-scoring run changed) →
 * revise the published disclosures among them.
 */
export const onEvaluationsReopened = (commands: CommandBus) =>
  defineHandler('review.evaluations.reopened.v1', async (payload, { manager, event }) => {
    await commands.execute(new RecordRescoring(payload, manager, event.producer));
  });
