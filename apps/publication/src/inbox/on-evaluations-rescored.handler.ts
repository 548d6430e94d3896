import type { CommandBus } from '@nestjs/cqrs';
import { defineHandler } from '@jixiao/messaging';
import { RecordRescoring } from '../commands/record-rescoring.command';

/** scoring.evaluations.rescored.v1 (one chunk of a re-scoring run) → revise the published disclosures it changed. */
export const onEvaluationsRescored = (commands: CommandBus) =>
  defineHandler('scoring.evaluations.rescored.v1', async (payload, { manager, event }) => {
    await commands.execute(new RecordRescoring(payload, manager, event.producer));
  });
