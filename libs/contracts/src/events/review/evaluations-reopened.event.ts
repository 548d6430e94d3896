import { z } from 'zod';
import { defineEvent } from '../define-event';
import { EvaluationScoredV1Schema } from '../scoring/evaluation-scored.event';
import { EvaluationsRescoredV1 } from '../scoring/evaluations-rescored.event';

/**
 * Evaluations review had approved or published that a chunk of a re-scoring run changed (total, grade or routing),
 * sent back to a reviewer: each with its new score, and `result` (the breakdown with explanations) when review could
 * recompute it from the evaluation and the rules the score cites. Publication revises what it published of them
 * (marked under review) and ignores the rest; the reviewer's next approval publishes as any approval does.
 *
 * Review sends it, not scoring, because review knows which evaluations were approved and sends its approvals and
 * these through the same outbox in the order it decided them: an approval in flight when a run changes its score
 * reaches publication before the revision does.
 */
export const EvaluationsReopenedV1Schema = z.object({
  runId: z.string().min(1),
  /** The chunk of the run that changed them (a run's chunk is recorded once, so this identifies the event). */
  chunk: z.number().int().min(0),
  /** The rule-set version whose activation started the run. */
  activated: z.object({ ruleSetId: z.string(), version: z.number().int().min(1) }),
  items: z.array(EvaluationScoredV1Schema).min(1),
});

/** The example: the rescored event's example chunk as review passes it on (its item changed grade). */
const { runId, chunk, activated, items } = EvaluationsRescoredV1.example;

export const EvaluationsReopenedV1 = defineEvent('review.evaluations.reopened.v1', EvaluationsReopenedV1Schema, {
  runId,
  chunk,
  activated,
  items: items.map(({ previous: _previous, ...score }) => score),
});
